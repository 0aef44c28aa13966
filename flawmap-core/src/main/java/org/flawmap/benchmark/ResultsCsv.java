package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import org.flawmap.report.MetricsSummary;

/**
 * {@code results.csv}: one row per product × model × backbone × seed × threshold estimator ×
 * group, with the cell's time and memory and every metric. Undefined metrics are empty.
 */
final class ResultsCsv {

  private ResultsCsv() {}

  static String format(Iterable<JsonNode> cells) {
    StringBuilder csv = new StringBuilder(
        "product,model,backbone,seed,estimator,threshold,group,fit_seconds,"
            + "inference_ms_per_image,peak_heap_mb");
    for (String name : MetricsSummary.NAMES) {
      csv.append(',').append(name);
    }
    csv.append('\n');
    for (JsonNode cell : cells) {
      for (JsonNode row : cell.path("rows")) {
        String estimator = row.path("estimator").asText();
        csv.append(quote(cell.path("product").asText())).append(',')
            .append(quote(cell.path("model").asText())).append(',')
            .append(quote(cell.path("backbone").asText())).append(',')
            .append(cell.path("seed").asLong()).append(',')
            .append(estimator).append(',')
            .append(thresholdOf(cell, estimator)).append(',')
            .append(quote(row.path("group").asText())).append(',')
            .append(cell.path("fit_seconds").asDouble()).append(',')
            .append(cell.path("inference_ms_per_image").asDouble()).append(',')
            .append(cell.path("peak_heap_mb").asDouble());
        for (String name : MetricsSummary.NAMES) {
          JsonNode v = row.path("metrics").path(name);
          csv.append(',').append(v.isNumber() ? v.asText() : "");
        }
        csv.append('\n');
      }
    }
    return csv.toString();
  }

  private static String thresholdOf(JsonNode cell, String estimator) {
    for (JsonNode t : cell.path("thresholds")) {
      if (t.path("estimator").asText().equals(estimator)) {
        return t.path("threshold").asText();
      }
    }
    return "";
  }

  /** Quotes a field when it contains a comma, quote or line break (RFC 4180). */
  static String quote(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }
}
