package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One node of a TensorFlow GraphDef in the JSON form of a tfjs graph-model.
 *
 * <p>Attributes follow the protobuf JSON mapping of {@code AttrValue}: strings are base64
 * ({@code "s"}), 64-bit integers are decimal strings ({@code "i"}), and lists sit under
 * {@code "list"}.
 *
 * @param name node name, unique in the graph
 * @param op TensorFlow op type, for example {@code _FusedConv2D}
 * @param inputs names of the nodes whose first output this node reads; control inputs
 *     ({@code ^name}) are dropped
 * @param attributes the {@code attr} object, empty when the node has none
 */
record GraphNode(String name, String op, List<String> inputs, JsonNode attributes) {

  /** Reads a node from {@code modelTopology.node[i]}. */
  static GraphNode parse(JsonNode json) {
    List<String> inputs = new ArrayList<>();
    for (JsonNode input : json.path("input")) {
      String text = input.asText();
      if (text.startsWith("^")) {
        continue;
      }
      inputs.add(text);
    }
    return new GraphNode(json.path("name").asText(), json.path("op").asText(), List.copyOf(inputs),
        json.path("attr"));
  }

  boolean has(String attribute) {
    return attributes.has(attribute);
  }

  /** Returns a string attribute, decoded from base64 as UTF-8. */
  String string(String attribute) {
    JsonNode value = require(attribute).path("s");
    if (!value.isTextual()) {
      throw invalid("attribute '" + attribute + "' is not a string");
    }
    return new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8);
  }

  /** Returns a string attribute, or {@code fallback} when the node does not have it. */
  String string(String attribute, String fallback) {
    return has(attribute) ? string(attribute) : fallback;
  }

  /** Returns a list of strings, for example {@code fused_ops}; empty when absent. */
  List<String> strings(String attribute) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : attributes.path(attribute).path("list").path("s")) {
      values.add(new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8));
    }
    return values;
  }

  /** Returns a list of integers, for example {@code strides}; empty when absent. */
  int[] integers(String attribute) {
    JsonNode list = attributes.path(attribute).path("list").path("i");
    int[] values = new int[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.toIntExact(Long.parseLong(list.get(i).asText()));
    }
    return values;
  }

  /** Returns an integer attribute, or {@code fallback} when absent. */
  int integer(String attribute, int fallback) {
    return has(attribute)
        ? Math.toIntExact(Long.parseLong(attributes.get(attribute).path("i").asText()))
        : fallback;
  }

  /** Returns a boolean attribute, or {@code fallback} when absent. */
  boolean bool(String attribute, boolean fallback) {
    return has(attribute) ? attributes.get(attribute).path("b").asBoolean(fallback) : fallback;
  }

  /** Returns an exception whose message names this node and its op. */
  IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException("node '" + name + "' (" + op + "): " + problem);
  }

  private JsonNode require(String attribute) {
    if (!has(attribute)) {
      throw invalid("attribute '" + attribute + "' is missing");
    }
    return attributes.get(attribute);
  }
}
