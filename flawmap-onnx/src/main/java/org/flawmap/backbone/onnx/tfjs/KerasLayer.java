package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One layer of a Keras functional model config.
 *
 * @param name layer name, also the name of its output tensor
 * @param className Keras class, for example {@code Conv2D}
 * @param config the layer's {@code config} object as Keras wrote it
 * @param inbound names of the layers whose outputs this layer reads, in call order
 */
public record KerasLayer(String name, String className, JsonNode config, List<String> inbound) {

  public KerasLayer {
    inbound = List.copyOf(inbound);
  }

  /** Returns whether the config has a non-null value for {@code key}. */
  public boolean has(String key) {
    JsonNode value = config.get(key);
    return value != null && !value.isNull();
  }

  /** Returns a required string setting. */
  public String string(String key) {
    return require(key).asText();
  }

  /** Returns a required integer setting. */
  public int integer(String key) {
    JsonNode value = require(key);
    if (!value.canConvertToInt()) {
      throw invalid("setting '" + key + "' = " + value + " is not an integer");
    }
    return value.asInt();
  }

  /** Returns a required number setting. */
  public double number(String key) {
    JsonNode value = require(key);
    if (!value.isNumber()) {
      throw invalid("setting '" + key + "' = " + value + " is not a number");
    }
    return value.asDouble();
  }

  /** Returns an optional boolean setting. */
  public boolean bool(String key, boolean defaultValue) {
    return has(key) ? config.get(key).asBoolean() : defaultValue;
  }

  /** Returns a required pair such as {@code kernel_size: [3, 3]}, also accepting one number. */
  public int[] pair(String key) {
    JsonNode value = require(key);
    if (value.isInt()) {
      return new int[] {value.asInt(), value.asInt()};
    }
    if (!value.isArray() || value.size() != 2) {
      throw invalid("setting '" + key + "' = " + value + " is not a pair of integers");
    }
    return new int[] {value.get(0).asInt(), value.get(1).asInt()};
  }

  /**
   * Returns a required Keras setting that must equal {@code expected}, to reject configurations
   * that the converter does not implement, for example {@code data_format: channels_first}.
   */
  public void requireValue(String key, String expected) {
    if (has(key) && !config.get(key).asText().equals(expected)) {
      throw invalid("setting '" + key + "' = " + config.get(key) + " is not supported, only "
          + expected);
    }
  }

  /** Returns an error that names this layer and its class. */
  public IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(
        "layer '%s' (%s): %s".formatted(name, className, message));
  }

  private JsonNode require(String key) {
    JsonNode value = config.get(key);
    if (value == null || value.isNull()) {
      throw invalid("setting '" + key + "' is missing");
    }
    return value;
  }
}
