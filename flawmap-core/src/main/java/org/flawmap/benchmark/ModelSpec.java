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
import org.flawmap.model.ModelFitter;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.model.patchcore.PatchcoreFitter;
import org.flawmap.model.patchcore.PatchcoreOptions;

/**
 * One model of a benchmark: its type and options, with the option names of docs/benchmark.md.
 * Options left out take the defaults of {@code flawmap fit}; the seed comes from the cell.
 *
 * @param type model type, for example {@code padim}
 * @param options option values as given, by name
 */
public record ModelSpec(String type, Map<String, JsonNode> options) {

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
    keys.onlyKnown(node, at, Set.of("type", "options"));
    String type = keys.requireText(node, at, "type");
    Set<String> known = OPTIONS.get(type);
    if (known == null) {
      throw keys.error(at + ".type", "unknown model type '" + type + "'; known: "
          + new TreeSet<>(OPTIONS.keySet()));
    }
    keys.onlyKnown(node.path("options"), at + ".options", known);
    Map<String, JsonNode> options = new TreeMap<>();
    node.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue()));
    ModelSpec spec = new ModelSpec(type, options);
    try {
      spec.validate();
    } catch (IllegalArgumentException e) {
      throw keys.error(at + ".options", e.getMessage());
    }
    return spec;
  }

  /** Returns a short name for reports: the type, and the options when any were given. */
  public String label() {
    if (options.isEmpty()) {
      return type;
    }
    List<String> parts = new ArrayList<>();
    options.forEach((k, v) -> parts.add(k + "=" + (v.isTextual() ? v.asText() : v.toString())));
    return type + "(" + String.join(",", parts) + ")";
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
