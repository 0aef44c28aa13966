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
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.ModelTypes;

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

  static ModelSpec parse(JsonNode node, String at, BenchmarkConfig.Keys keys) {
    if (node.isTextual()) {
      node = JsonNodeFactory.instance.objectNode().put("type", node.asText());
    }
    keys.onlyKnown(node, at, KEYS);
    String type = keys.requireText(node, at, "type");
    ModelType modelType = ModelTypes.all().get(type);
    if (modelType == null) {
      throw keys.error(at + ".type", "unknown model type '" + type + "'; known: "
          + new TreeSet<>(ModelTypes.all().keySet()));
    }
    keys.onlyKnown(node.path("options"), at + ".options", modelType.optionNames());
    Map<String, JsonNode> options = new TreeMap<>();
    node.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue()));
    ModelSpec spec = new ModelSpec(type, options, input(node, at, keys));
    try {
      modelType.validate(spec.parameters());
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

  public ModelParameters parameters() {
    return new ModelParameters(options);
  }

  /** Creates a fresh fitter for {@code backbone}. */
  public ModelFitter fitter(BackboneInfo backbone, long seed) {
    return ModelTypes.byName(type).fitter(backbone, parameters(), seed);
  }
}
