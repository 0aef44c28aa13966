package org.flawmap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.threshold.ThresholdResult;

/**
 * The side-by-side comparison of threshold estimators: each one's threshold, what it reached on
 * validation, and the inference metrics it gives on the test split, overall and per group.
 */
public final class ThresholdReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] COLUMNS = {
    "pixel_precision", "pixel_recall", "pixel_f1", "pixel_iou", "mean_iou", "normal_pixel_fpr",
    "normal_image_fpr"
  };

  private final List<ThresholdResult> results;
  private final Map<String, GroupedMetrics> metrics;
  private final double fprLimit;

  /**
   * @param metrics test metrics keyed by estimator name, at each estimator's threshold
   */
  public ThresholdReport(
      List<ThresholdResult> results, Map<String, GroupedMetrics> metrics, double fprLimit) {
    this.results = List.copyOf(results);
    this.metrics = metrics;
    this.fprLimit = fprLimit;
  }

  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode estimators = root.putArray("estimators");
    for (ThresholdResult r : results) {
      ObjectNode node = estimators.addObject();
      putEstimate(node, r);
      TestReport test = new TestReport(metrics.get(r.requestedEstimator()), fprLimit);
      node.set("test", test.toJson());
    }
    return root;
  }

  /** Writes an estimator's threshold, what it reached on validation, and its warnings. */
  public static void putEstimate(ObjectNode node, ThresholdResult r) {
    node.put("estimator", r.requestedEstimator());
    node.put("used", r.estimator());
    node.put("threshold", r.threshold());
    node.put("validation_criterion", r.criterion());
    node.put("validation_value", r.criterionValue());
    ArrayNode warnings = node.putArray("warnings");
    r.warnings().forEach(warnings::add);
  }

  public String toCsv() {
    StringBuilder csv = new StringBuilder("estimator,used,threshold,validation_criterion,"
        + "validation_value,group");
    for (String c : MetricsSummary.NAMES) {
      csv.append(',').append(c);
    }
    csv.append('\n');
    for (ThresholdResult r : results) {
      TestReport test = new TestReport(metrics.get(r.requestedEstimator()), fprLimit);
      for (MetricsSummary g : test.groups()) {
        csv.append(String.format(Locale.ROOT, "%s,%s,%.9g,%s,%.6f,%s", r.requestedEstimator(),
            r.estimator(), r.threshold(), r.criterion(), r.criterionValue(), g.group()));
        for (String c : MetricsSummary.NAMES) {
          csv.append(',').append(g.csvValue(c));
        }
        csv.append('\n');
      }
    }
    return csv.toString();
  }

  /** Returns the table of estimators against the overall test metrics. */
  public String toText() {
    StringBuilder out = new StringBuilder("threshold estimators, fitted on validation, tested on"
        + " the test split\n");
    out.append(String.format(Locale.ROOT, "%-16s %-16s %12s", "estimator", "used", "threshold"));
    for (String c : COLUMNS) {
      out.append(String.format(Locale.ROOT, " %16s", c));
    }
    out.append('\n');
    for (ThresholdResult r : results) {
      MetricsSummary all = new TestReport(metrics.get(r.requestedEstimator()), fprLimit).overall();
      out.append(String.format(Locale.ROOT, "%-16s %-16s %12.5g", r.requestedEstimator(),
          r.estimator(), r.threshold()));
      for (String c : COLUMNS) {
        double v = all.get(c);
        out.append(Double.isFinite(v)
            ? String.format(Locale.ROOT, " %16.4f", v) : String.format(" %16s", "n/a"));
      }
      out.append('\n');
    }
    for (ThresholdResult r : results) {
      for (String w : r.warnings()) {
        out.append("warning (").append(r.requestedEstimator()).append("): ").append(w)
            .append('\n');
      }
    }
    return out.toString();
  }

  public void write(Path folder) throws IOException {
    AtomicFiles.write(
        folder.resolve("thresholds.json"), out -> out.write(JSON.writeValueAsBytes(toJson())));
    AtomicFiles.writeString(folder.resolve("thresholds.csv"), toCsv());
    AtomicFiles.writeString(folder.resolve("summary.txt"), toText());
  }
}
