package org.flawmap.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Option values of one model type, by option name, as a benchmark configuration or the
 * command line's {@code --model-option KEY=VALUE} gives them. Names follow docs/benchmark.md
 * (lower case with underscores). Each typed getter names the option in its error.
 */
public final class ModelParameters {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> values;

  public ModelParameters(Map<String, JsonNode> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static ModelParameters empty() {
    return new ModelParameters(Map.of());
  }

  /**
   * Reads command-line values: a value that parses as a JSON number, boolean or list stays
   * one, and anything else is text, so that {@code epochs=3} is a number and
   * {@code checkpoint=runs/ckpt} a path.
   */
  public static ModelParameters fromText(Map<String, String> text) {
    Map<String, JsonNode> parsed = new TreeMap<>();
    text.forEach((key, value) -> parsed.put(key, parseValue(value)));
    return new ModelParameters(parsed);
  }

  private static JsonNode parseValue(String value) {
    try {
      JsonNode node = JSON.readTree(value);
      if (node != null && (node.isNumber() || node.isBoolean() || node.isArray())) {
        return node;
      }
    } catch (java.io.IOException e) {
      // Not JSON, so the value is text.
    }
    return TextNode.valueOf(value);
  }

  public Map<String, JsonNode> values() {
    return values;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Returns these values with {@code name} set to {@code value} when it is not set yet. */
  public ModelParameters withDefault(String name, JsonNode value) {
    if (values.containsKey(name)) {
      return this;
    }
    Map<String, JsonNode> copy = new TreeMap<>(values);
    copy.put(name, value);
    return new ModelParameters(copy);
  }

  public int integer(String name, int fallback) {
    JsonNode v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(
          "model option " + name + " must be an integer, found " + v);
    }
    return v.asInt();
  }

  public double number(String name, double fallback) {
    JsonNode v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("model option " + name + " must be a number, found " + v);
    }
    return v.asDouble();
  }

  public boolean bool(String name, boolean fallback) {
    JsonNode v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(
          "model option " + name + " must be true or false, found " + v);
    }
    return v.asBoolean();
  }

  /** Returns a text value; numbers are given back as written. */
  public String text(String name, String fallback) {
    JsonNode v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (v.isContainerNode()) {
      throw new IllegalArgumentException("model option " + name + " must be text, found " + v);
    }
    return v.asText();
  }

  /** Returns a list of integers, given as a JSON list or as comma-separated text. */
  public List<Integer> integers(String name, List<Integer> fallback) {
    JsonNode v = values.get(name);
    if (v == null) {
      return fallback;
    }
    List<Integer> out = new ArrayList<>();
    if (v.isArray()) {
      for (JsonNode item : v) {
        if (!item.isIntegralNumber()) {
          throw new IllegalArgumentException(
              "model option " + name + " must be a list of integers, found " + v);
        }
        out.add(item.asInt());
      }
      return out;
    }
    if (v.isIntegralNumber()) {
      return List.of(v.asInt());
    }
    for (String part : v.asText().split(",")) {
      try {
        out.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "model option " + name + " must be a list of integers such as 1,2, found " + v);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
