package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.model.patchcore.PatchcoreFitter;
import org.flawmap.model.patchcore.PatchcoreOptions;

/**
 * One model of a benchmark: its type, options and input settings, with the key names of
 * docs/benchmark.md. Options left out take the defaults of {@code flawmap fit}; the seed comes
 * from the cell.
 *
 * @param type model type, for example {@code padim}
 * @param options option values as given, by name
 * @param input input mode and tile settings, {@link InputSettings#RESIZE} unless given
 */
public record ModelSpec(String type, Map<String, JsonNode> options, InputSettings input) {

  /** Keys of a model entry besides its options. */
  static final Set<String> KEYS =
      Set.of("type", "options", "input_mode", "tile_scale", "tile_overlap");

  /** Creates a spec of a resize-mode model. */
  public ModelSpec(String type, Map<String, JsonNode> options) {
    this(type, options, InputSettings.RESIZE);
  }

  /** Option names per model type. */
  static final Map<String, Set<String>> OPTIONS =
      Map.of(
          "padim", Set.of("dimension", "epsilon", "blur_sigma"),
          "patchcore",
          Set.of("stages", "dimension", "coreset_ratio", "max_bank", "max_candidates",
              "projection", "neighbours", "blur_sigma"));

  static ModelSpec parse(JsonNode node, String at, BenchmarkConfig.Keys keys) {
    if (node.isTextual()) {
      node = JsonNodeFactory.instance.objectNode().put("type", node.asText());
    }
    keys.onlyKnown(node, at, KEYS);
    String type = keys.requireText(node, at, "type");
    Set<String> known = OPTIONS.get(type);
    if (known == null) {
      throw keys.error(at + ".type", "unknown model type '" + type + "'; known: "
          + new TreeSet<>(OPTIONS.keySet()));
    }
    keys.onlyKnown(node.path("options"), at + ".options", known);
    Map<String, JsonNode> options = new TreeMap<>();
    node.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue()));
    ModelSpec spec = new ModelSpec(type, options, input(node, at, keys));
    try {
      spec.validate();
    } catch (IllegalArgumentException e) {
      throw keys.error(at + ".options", e.getMessage());
    }
    return spec;
  }

  /**
   * Reads {@code input_mode}, {@code tile_scale} and {@code tile_overlap}. The tile keys are
   * rejected outside tile mode, where they would have no effect.
   */
  private static InputSettings input(JsonNode node, String at, BenchmarkConfig.Keys keys) {
    JsonNode modeNode = node.path("input_mode");
    InputMode mode = InputMode.RESIZE;
    if (!modeNode.isMissingNode()) {
      try {
        mode = InputMode.parse(modeNode.asText());
      } catch (IllegalArgumentException e) {
        throw keys.error(at + ".input_mode", e.getMessage());
      }
    }
    if (mode != InputMode.TILE) {
      for (String key : List.of("tile_scale", "tile_overlap")) {
        if (node.has(key)) {
          throw keys.error(at + "." + key, "applies to input_mode: tile only, found input_mode: "
              + mode.id());
        }
      }
      return InputSettings.of(mode);
    }
    JsonNode scale = node.path("tile_scale");
    JsonNode overlap = node.path("tile_overlap");
    if (!scale.isMissingNode() && !scale.isNumber()) {
      throw keys.error(at + ".tile_scale", "must be a number, found " + scale);
    }
    if (!overlap.isMissingNode() && !overlap.isIntegralNumber()) {
      throw keys.error(at + ".tile_overlap", "must be an integer of input pixels, found "
          + overlap);
    }
    try {
      return InputSettings.tile(
          scale.asDouble(InputSettings.DEFAULT_TILE_SCALE),
          overlap.asInt(InputSettings.DEFAULT_TILE_OVERLAP));
    } catch (IllegalArgumentException e) {
      throw keys.error(at, e.getMessage());
    }
  }

  /**
   * Returns a short name for reports and cell fingerprints: the type, the options when any
   * were given, and the input settings unless they are resize, for example {@code
   * padim(dimension=50)@tile(scale=1,overlap=64)}.
   */
  public String label() {
    String label = type;
    if (!options.isEmpty()) {
      List<String> parts = new ArrayList<>();
      options.forEach(
          (k, v) -> parts.add(k + "=" + (v.isTextual() ? v.asText() : v.toString())));
      label += "(" + String.join(",", parts) + ")";
    }
    if (input.mode() != InputMode.RESIZE) {
      label += "@" + input.label();
    }
    return label;
  }

  /** Builds the options once, so that an invalid value fails when the file is read. */
  void validate() {
    if (type.equals("padim")) {
      padimOptions(0L);
    } else {
      patchcoreOptions(0L);
    }
  }

  /** Creates a fresh fitter for {@code backbone}. */
  public ModelFitter fitter(BackboneInfo backbone, long seed) {
    if (type.equals("padim")) {
      return new PadimFitter(backbone, padimOptions(seed));
    }
    return new PatchcoreFitter(backbone, patchcoreOptions(seed));
  }

  private PadimOptions padimOptions(long seed) {
    PadimOptions d = PadimOptions.DEFAULTS;
    return new PadimOptions(
        integer("dimension", d.featureDimension()),
        number("epsilon", d.epsilon()),
        number("blur_sigma", d.blurSigma()),
        seed);
  }

  private PatchcoreOptions patchcoreOptions(long seed) {
    PatchcoreOptions d = PatchcoreOptions.DEFAULTS;
    List<Integer> stages = d.stages();
    JsonNode s = options.get("stages");
    if (s != null) {
      if (!s.isArray()) {
        throw new IllegalArgumentException("stages must be a list of stage indices, found " + s);
      }
      stages = new ArrayList<>();
      for (JsonNode i : s) {
        stages.add(i.asInt());
      }
    }
    return new PatchcoreOptions(
        stages,
        integer("dimension", d.featureDimension()),
        number("coreset_ratio", d.coresetRatio()),
        integer("max_bank", d.maxBank()),
        integer("max_candidates", d.maxCandidates()),
        integer("projection", d.projectionDimension()),
        integer("neighbours", d.neighbours()),
        number("blur_sigma", d.blurSigma()),
        seed);
  }

  int integer(String name, int fallback) {
    JsonNode v = options.get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber()) {
      throw new IllegalArgumentException(name + " must be an integer, found " + v);
    }
    return v.asInt();
  }

  double number(String name, double fallback) {
    JsonNode v = options.get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(name + " must be a number, found " + v);
    }
    return v.asDouble();
  }
}
