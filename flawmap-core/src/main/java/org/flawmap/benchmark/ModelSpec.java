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
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.ModelTypes;

/**
 * One model of a benchmark: its type and options, with the option names of docs/benchmark.md.
 * Options left out take the defaults of {@code flawmap fit}; the seed comes from the cell.
 *
 * @param type model type, for example {@code padim}
 * @param options option values as given, by name
 */
public record ModelSpec(String type, Map<String, JsonNode> options) {

  static ModelSpec parse(JsonNode node, String at, BenchmarkConfig.Keys keys) {
    if (node.isTextual()) {
      node = JsonNodeFactory.instance.objectNode().put("type", node.asText());
    }
    keys.onlyKnown(node, at, Set.of("type", "options"));
    String type = keys.requireText(node, at, "type");
    ModelType modelType = ModelTypes.all().get(type);
    if (modelType == null) {
      throw keys.error(at + ".type", "unknown model type '" + type + "'; known: "
          + new TreeSet<>(ModelTypes.all().keySet()));
    }
    keys.onlyKnown(node.path("options"), at + ".options", modelType.optionNames());
    Map<String, JsonNode> options = new TreeMap<>();
    node.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue()));
    ModelSpec spec = new ModelSpec(type, options);
    try {
      modelType.validate(spec.parameters());
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

  public ModelParameters parameters() {
    return new ModelParameters(options);
  }

  /** Creates a fresh fitter for {@code backbone}. */
  public ModelFitter fitter(BackboneInfo backbone, long seed) {
    return ModelTypes.byName(type).fitter(backbone, parameters(), seed);
  }
}
