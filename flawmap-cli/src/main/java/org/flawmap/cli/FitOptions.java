package org.flawmap.cli;

import com.fasterxml.jackson.databind.node.DoubleNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.ModelTypes;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.model.patchcore.PatchcoreFitter;
import org.flawmap.model.patchcore.PatchcoreOptions;
import org.flawmap.threshold.ThresholdEstimator;
import org.flawmap.threshold.ThresholdEstimators;
import org.flawmap.threshold.ThresholdOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Model, backbone and threshold options of the commands that fit. */
final class FitOptions {

  /** The command that mixes these options in, to read which options were on the command line. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = "padim",
      paramLabel = "TYPE",
      description = "Model type: padim, patchcore, or a trainable type; `flawmap models` lists"
          + " the types on the class path (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--model-option",
      paramLabel = "KEY=VALUE",
      description = "Option of a trainable model type (not padim or patchcore, which take the"
          + " --padim-* and --patchcore-* options), repeatable, each key once, for example"
          + " epochs=4. `flawmap models` lists each type's keys and docs/models/TYPE.md explains"
          + " them. blur_sigma defaults to --blur-sigma; give only one of the two.")
  Map<String, String> modelOptions = new LinkedHashMap<>();

  @Option(
      names = "--backbone",
      defaultValue = Backbones.DEFAULT,
      paramLabel = "NAME|DIR",
      description = "Installed backbone name or a folder with backbone.json"
          + " (default: ${DEFAULT-VALUE}).")
  String backbone;

  @Option(
      names = "--padim-dimension",
      defaultValue = "100",
      paramLabel = "D",
      description = "PaDiM: channels kept, chosen at random from all stages"
          + " (default: ${DEFAULT-VALUE}).")
  int padimDimension;

  @Option(
      names = "--padim-epsilon",
      defaultValue = "0.01",
      paramLabel = "E",
      description = "PaDiM: ridge added to each covariance diagonal (default: ${DEFAULT-VALUE}).")
  double padimEpsilon;

  @Option(
      names = "--patchcore-stages",
      defaultValue = "1,2",
      split = ",",
      paramLabel = "I,J",
      description = "PatchCore: indices of the backbone stages to combine, ascending. 1,2 are"
          + " the stride-8 and stride-16 stages of the default backbone"
          + " (default: ${DEFAULT-VALUE}).")
  List<Integer> patchcoreStages;

  @Option(
      names = "--patchcore-dimension",
      defaultValue = "1024",
      paramLabel = "D",
      description = "PatchCore: channels per patch after averaging adjacent channels. All are"
          + " kept when the stages have fewer (default: ${DEFAULT-VALUE}).")
  int patchcoreDimension;

  @Option(
      names = "--patchcore-coreset-ratio",
      defaultValue = "0.1",
      paramLabel = "RATIO",
      description = "PatchCore: memory bank size as a fraction of all training patches, in"
          + " (0, 1] (default: ${DEFAULT-VALUE}).")
  double patchcoreCoresetRatio;

  @Option(
      names = "--patchcore-max-bank",
      defaultValue = "10000",
      paramLabel = "PATCHES",
      description = "PatchCore: largest memory bank, in patches. Inference time grows with it"
          + " (default: ${DEFAULT-VALUE}).")
  int patchcoreMaxBank;

  @Option(
      names = "--patchcore-max-candidates",
      defaultValue = "200000",
      paramLabel = "PATCHES",
      description = "PatchCore: training patches kept, a seeded uniform sample, to select the"
          + " memory bank from. Bounds fit memory and time (default: ${DEFAULT-VALUE}).")
  int patchcoreMaxCandidates;

  @Option(
      names = "--patchcore-projection",
      defaultValue = "64",
      paramLabel = "D",
      description = "PatchCore: dimensions of the random projection the memory bank is selected"
          + " on (default: ${DEFAULT-VALUE}).")
  int patchcoreProjection;

  @Option(
      names = "--patchcore-neighbours",
      defaultValue = "9",
      paramLabel = "B",
      description = "PatchCore: memory bank patches, at least 2, that reweight the image score"
          + " (default: ${DEFAULT-VALUE}).")
  int patchcoreNeighbours;

  @Option(
      names = "--input-mode",
      defaultValue = "resize",
      paramLabel = "MODE",
      description = "How each image is fitted into the backbone's fixed input (224 × 224 for"
          + " the default backbone), recorded in the model file: resize squashes it;"
          + " keep-aspect scales the long side to the input, pads the short side with the"
          + " normalisation mean and crops the map back to the image; tile scales the image by"
          + " --tile-scale, cuts it into overlapping tiles of the input size and blends the tile"
          + " maps into one map (default: ${DEFAULT-VALUE}).")
  String inputMode;

  @Option(
      names = "--tile-scale",
      paramLabel = "FACTOR",
      description = "Tile mode: factor applied to each image before it is cut into tiles;"
          + " 1 keeps the image's pixels, 0.5 halves each side, so fewer tiles are needed."
          + " From 1/64 (0.015625) to 16; an image that would need more than 4096 tiles, or"
          + " whose scaled side is under 1 pixel, is rejected (default: 1).")
  Double tileScale;

  @Option(
      names = "--tile-overlap",
      paramLabel = "PIXELS",
      description = "Tile mode: columns or rows that neighbouring tiles share, in input"
          + " pixels (pixels of the scaled image), below the input size; the tile maps are"
          + " blended over them (default: 64).")
  Integer tileOverlap;

  @Option(
      names = "--blur-sigma",
      defaultValue = "4",
      paramLabel = "PIXELS",
      description = "Gaussian smoothing of the anomaly map, in input pixels"
          + " (default: ${DEFAULT-VALUE}).")
  double blurSigma;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of the model's random choices (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threshold",
      defaultValue = ThresholdEstimators.DEFAULT,
      paramLabel = "NAME",
      description = "Pixel threshold estimator stored in the model: f1, iou-curve,"
          + " normal-stats, normal-quantile or roc (default: ${DEFAULT-VALUE}).")
  String threshold;

  @Option(
      names = "--threshold-option",
      paramLabel = "KEY=VALUE",
      description = "Estimator option, repeatable: k (normal-stats, standard deviations),"
          + " quantile (normal-quantile, in (0, 1]), target-fpr (roc), max-candidates.")
  Map<String, String> thresholdOptions = new LinkedHashMap<>();

  PadimOptions padimOptions() {
    return new PadimOptions(padimDimension, padimEpsilon, blurSigma, seed);
  }

  PatchcoreOptions patchcoreOptions() {
    return new PatchcoreOptions(
        patchcoreStages, patchcoreDimension, patchcoreCoresetRatio, patchcoreMaxBank,
        patchcoreMaxCandidates, patchcoreProjection, patchcoreNeighbours, blurSigma, seed);
  }

  /** Checks and returns the input settings; tile options are rejected outside tile mode. */
  InputSettings inputSettings() {
    InputMode mode = InputMode.parse(inputMode);
    if (mode != InputMode.TILE) {
      if (tileScale != null || tileOverlap != null) {
        throw new IllegalArgumentException(
            "--tile-scale and --tile-overlap apply to --input-mode tile only, found --input-mode "
                + mode.id());
      }
      return InputSettings.of(mode);
    }
    return InputSettings.tile(
        tileScale == null ? InputSettings.DEFAULT_TILE_SCALE : tileScale,
        tileOverlap == null ? InputSettings.DEFAULT_TILE_OVERLAP : tileOverlap);
  }

  ThresholdEstimator estimator() {
    return ThresholdEstimators.byName(threshold, ThresholdOptions.parse(thresholdOptions));
  }

  /**
   * Checks the model type and its options, before any data is read, and returns what makes
   * the fitter once the backbone is loaded.
   */
  Function<BackboneInfo, ModelFitter> fitterFactory() {
    rejectInapplicable();
    if (!modelOptions.isEmpty() && (model.equals("padim") || model.equals("patchcore"))) {
      throw new IllegalArgumentException(
          "--model-option is for the trainable model types; set %s with its --%s-* options"
              .formatted(model, model));
    }
    switch (model) {
      case "padim" -> {
        PadimOptions options = padimOptions();
        return backbone -> new PadimFitter(backbone, options);
      }
      case "patchcore" -> {
        PatchcoreOptions options = patchcoreOptions();
        return backbone -> new PatchcoreFitter(backbone, options);
      }
      default -> {
        ModelType type = ModelTypes.byName(model);
        ModelParameters options =
            ModelParameters.fromText(modelOptions)
                .withDefault("blur_sigma", DoubleNode.valueOf(blurSigma));
        java.util.Set<String> unknown = new java.util.TreeSet<>(options.values().keySet());
        unknown.removeAll(type.optionNames());
        if (!unknown.isEmpty()) {
          throw new IllegalArgumentException(
              "unknown --model-option %s for model type %s; known: %s"
                  .formatted(unknown, model, new java.util.TreeSet<>(type.optionNames())));
        }
        type.validate(options);
        long modelSeed = seed;
        return backbone -> type.fitter(backbone, options, modelSeed);
      }
    }
  }

  /**
   * Rejects options that the chosen model would ignore: --padim-* and --patchcore-* options of
   * another model type, a --model-option key given twice (picocli keeps only the last), and
   * --blur-sigma together with --model-option blur_sigma. "Given" means on the command line,
   * read from the parse result, so that a value equal to the default still counts. Without a
   * parse result (options built in code) nothing is checked.
   */
  private void rejectInapplicable() {
    ParseResult parsed = spec == null ? null : spec.commandLine().getParseResult();
    if (parsed == null) {
      return;
    }
    for (OptionSpec option : parsed.matchedOptions()) {
      String name = option.longestName();
      for (String prefix : new String[] {"padim", "patchcore"}) {
        if (name.startsWith("--" + prefix + "-") && !model.equals(prefix)) {
          throw new IllegalArgumentException(
              "%s applies to --model %s only, found --model %s; remove it or choose --model %s"
                  .formatted(name, prefix, model, prefix));
        }
      }
    }
    OptionSpec modelOptionSpec = parsed.matchedOption("--model-option");
    if (modelOptionSpec == null) {
      return;
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (String pair : modelOptionSpec.originalStringValues()) {
      String key = pair.split("=", 2)[0].trim();
      if (!keys.add(key)) {
        throw new IllegalArgumentException(
            "--model-option %s is given more than once; give each key once".formatted(key));
      }
    }
    if (keys.contains("blur_sigma") && parsed.hasMatchedOption("--blur-sigma")) {
      throw new IllegalArgumentException(
          "--blur-sigma and --model-option blur_sigma set the same value; give only one of them");
    }
  }
}
