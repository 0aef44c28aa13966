package org.flawmap.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.threshold.ThresholdEstimator;
import org.flawmap.threshold.ThresholdEstimators;
import org.flawmap.threshold.ThresholdOptions;
import picocli.CommandLine.Option;

/** Model, backbone and threshold options of the commands that fit. */
final class FitOptions {

  @Option(
      names = "--model",
      defaultValue = "padim",
      paramLabel = "TYPE",
      description = "Model type: padim (default: ${DEFAULT-VALUE}).")
  String model;

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

  ThresholdEstimator estimator() {
    return ThresholdEstimators.byName(threshold, ThresholdOptions.parse(thresholdOptions));
  }

  void checkModel() {
    if (!"padim".equals(model)) {
      throw new IllegalArgumentException(
          "unknown model type '%s'; this version fits: padim".formatted(model));
    }
  }
}
