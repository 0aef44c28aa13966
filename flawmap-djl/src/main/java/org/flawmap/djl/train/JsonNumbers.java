package org.flawmap.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Training figures in JSON, where NaN (no validation yet) is stored as null. */
public final class JsonNumbers {

  private JsonNumbers() {}

  /** Writes NaN as null, because JSON has no NaN. */
  public static void putNumber(ObjectNode json, String name, double value) {
    if (Double.isNaN(value)) {
      json.putNull(name);
    } else {
      json.put(name, value);
    }
  }

  /** Appends NaN as null, because JSON has no NaN. */
  public static void addNumber(ArrayNode array, double value) {
    if (Double.isNaN(value)) {
      array.addNull();
    } else {
      array.add(value);
    }
  }

  /** Returns a new modifiable list of the array's values, with null and missing read as NaN. */
  public static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asDouble(Double.NaN)));
    return out;
  }
}
