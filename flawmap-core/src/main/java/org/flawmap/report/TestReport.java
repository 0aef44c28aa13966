package org.flawmap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.metrics.MetricsGroup;

/**
 * The report of one evaluation: {@code metrics.json} with the overall figures at the top level
 * and each group's beside them, {@code metrics.csv} with one row per group, and
 * {@code summary.txt} for people. {@code metric_bounds} gives, for histogram-based metrics that
 * are not exact, the interval that contains the exactly sorted value. Groups named {@code KIND=VALUE} go under {@code per_KIND}, for
 * example {@code per_defect_type.crack} or {@code per_category.surface}. Undefined metrics are {@code null} in JSON, empty in CSV, and
 * their reasons are listed under {@code undefined}.
 */
public final class TestReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<MetricsSummary> groups = new ArrayList<>();
  private final ObjectNode extra = JSON.createObjectNode();
  private final double fprLimit;

  /** Summarises every group of {@code metrics}; "all" comes first. */
  public TestReport(GroupedMetrics metrics, double fprLimit) {
    this.fprLimit = fprLimit;
    for (MetricsGroup g : metrics.groups()) {
      MetricsSummary summary = MetricsSummary.of(g, fprLimit);
      if (GroupedMetrics.ALL.equals(g.key())) {
        groups.add(0, summary);
      } else {
        groups.add(summary);
      }
    }
  }

  public MetricsSummary overall() {
    return groups.get(0);
  }

  public List<MetricsSummary> groups() {
    return List.copyOf(groups);
  }

  /** Returns the node for additional top-level fields (threshold, counts, split, model). */
  public ObjectNode extra() {
    return extra;
  }

  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    MetricsSummary all = overall();
    putValues(root, all);
    root.put("aupro_fpr_limit", fprLimit);
    root.setAll(extra);

    // Group keys look like "defect_type=crack"; each kind gets its own object in the report.
    ObjectNode undefined = JSON.createObjectNode();
    ObjectNode bounds = JSON.createObjectNode();
    for (MetricsSummary g : groups) {
      g.undefined().forEach((name, reason) -> undefined.put(g.group() + "." + name, reason));
      g.bounds().forEach(
          (name, range) -> bounds.putArray(g.group() + "." + name).add(range[0]).add(range[1]));
      if (g == all) {
        continue;
      }
      int eq = g.group().indexOf('=');
      String kind = eq < 0 ? "group" : g.group().substring(0, eq);
      String value = eq < 0 ? g.group() : g.group().substring(eq + 1);
      ObjectNode byKind = root.has("per_" + kind)
          ? (ObjectNode) root.get("per_" + kind) : root.putObject("per_" + kind);
      putValues(byKind.putObject(value), g);
    }
    if (!root.has("per_defect_type")) {
      root.putObject("per_defect_type");
    }
    root.set("undefined", undefined);
    root.set("metric_bounds", bounds);
    return root;
  }

  private static void putValues(ObjectNode node, MetricsSummary summary) {
    for (var e : summary.values().entrySet()) {
      if (e.getKey().endsWith("_images")) {
        node.put(e.getKey(), e.getValue().longValue());
      } else if (Double.isFinite(e.getValue())) {
        node.put(e.getKey(), e.getValue());
      } else {
        node.putNull(e.getKey());
      }
    }
  }

  public String toCsv() {
    StringBuilder csv = new StringBuilder("group");
    for (String name : MetricsSummary.NAMES) {
      csv.append(',').append(name);
    }
    csv.append('\n');
    for (MetricsSummary g : groups) {
      csv.append(g.group());
      for (String name : MetricsSummary.NAMES) {
        csv.append(',').append(g.csvValue(name));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  /** Returns a fixed-width table of the headline metrics, one row per group. */
  public String toText(String title) {
    String[] columns = {
      "image_auroc", "pixel_auroc", "aupro", "pixel_f1", "mean_iou", "pixel_precision",
      "pixel_recall"
    };
    StringBuilder out = new StringBuilder(title).append('\n');
    out.append(String.format(Locale.ROOT, "%-28s", "group"));
    for (String c : columns) {
      out.append(String.format(Locale.ROOT, " %15s", c));
    }
    out.append('\n');
    for (MetricsSummary g : groups) {
      out.append(String.format(Locale.ROOT, "%-28s", g.group()));
      for (String c : columns) {
        double v = g.get(c);
        out.append(Double.isFinite(v)
            ? String.format(Locale.ROOT, " %15.4f", v) : String.format(" %15s", "n/a"));
      }
      out.append('\n');
    }
    return out.toString();
  }

  public void write(Path folder, String title) throws IOException {
    AtomicFiles.write(
        folder.resolve("metrics.json"), out -> out.write(JSON.writeValueAsBytes(toJson())));
    AtomicFiles.writeString(folder.resolve("metrics.csv"), toCsv());
    AtomicFiles.writeString(folder.resolve("summary.txt"), toText(title));
  }
}
