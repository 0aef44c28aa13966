package org.flawmap.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flawmap.metrics.InferenceMetrics;
import org.flawmap.metrics.MetricValue;
import org.flawmap.metrics.MetricsGroup;

/**
 * The figures of one metrics group under the names that reports and {@code metrics.json} use.
 * Undefined metrics are NaN in {@link #values} and carry their reason in {@link #undefined}.
 * Histogram-based metrics that are not exact carry {@code [lower, upper]} in {@link #bounds}, an
 * interval that contains the value exact sorting would give.
 */
public record MetricsSummary(
    String group,
    Map<String, Double> values,
    Map<String, String> undefined,
    Map<String, double[]> bounds) {

  /**
   * Column names: the group's image counts, then the validation (threshold-free) metrics, then
   * the inference metrics at the threshold.
   */
  public static final String[] NAMES = {
    "anomalous_images", "normal_images",
    "image_auroc", "image_ap", "pixel_auroc", "pixel_ap", "aupro",
    "pixel_precision", "pixel_recall", "pixel_f1", "pixel_iou", "mean_iou", "mean_image_f1",
    "image_precision", "image_recall", "image_f1", "image_accuracy",
    "normal_image_fpr", "normal_pixel_fpr"
  };

  public static MetricsSummary of(MetricsGroup g, double fprLimit) {
    Map<String, Double> v = new LinkedHashMap<>();
    Map<String, String> undefined = new LinkedHashMap<>();
    Map<String, double[]> bounds = new LinkedHashMap<>();
    v.put("anomalous_images", (double) g.anomalousImages());
    v.put("normal_images", (double) g.normalImages());
    put(v, undefined, "image_auroc", g.image().auroc());
    put(v, undefined, "image_ap", g.image().averagePrecision());
    put(v, undefined, "pixel_auroc", g.pixel().auroc());
    put(v, undefined, "pixel_ap", g.pixel().averagePrecision());
    put(v, undefined, "aupro", g.pixel().aupro(fprLimit));
    putBounds(bounds, "pixel_auroc", g.pixel().auroc());
    putBounds(bounds, "pixel_ap", g.pixel().averagePrecision());
    putBounds(bounds, "aupro", g.pixel().aupro(fprLimit));
    InferenceMetrics inf = g.inference();
    if (inf != null) {
      v.put("pixel_precision", inf.pixelPrecision());
      v.put("pixel_recall", inf.pixelRecall());
      v.put("pixel_f1", inf.pixelF1());
      v.put("pixel_iou", inf.pixelIou());
      put(v, undefined, "mean_iou", inf.meanImageIou());
      put(v, undefined, "mean_image_f1", inf.meanImageF1());
      v.put("image_precision", inf.imagePrecision());
      v.put("image_recall", inf.imageRecall());
      v.put("image_f1", inf.imageF1());
      v.put("image_accuracy", inf.imageAccuracy());
      put(v, undefined, "normal_image_fpr", inf.normalImageFalsePositiveRate());
      put(v, undefined, "normal_pixel_fpr", inf.normalPixelFalsePositiveRate());
    }
    return new MetricsSummary(g.key(), v, undefined, bounds);
  }

  private static void putBounds(Map<String, double[]> bounds, String name, MetricValue value) {
    if (value.isDefined() && value.tieBound() > 0) {
      bounds.put(name, new double[] {value.lowerBound(), value.upperBound()});
    }
  }

  private static void put(
      Map<String, Double> v, Map<String, String> undefined, String name, MetricValue value) {
    v.put(name, value.value());
    if (!value.isDefined()) {
      undefined.put(name, value.undefinedReason());
    }
  }

  /** Formats one value for CSV: counts as integers, metrics with 6 decimals, NaN as empty. */
  public String csvValue(String name) {
    double v = get(name);
    if (!Double.isFinite(v)) {
      return "";
    }
    return name.endsWith("_images")
        ? Long.toString((long) v)
        : String.format(java.util.Locale.ROOT, "%.6f", v);
  }

  public double get(String name) {
    Double value = values.get(name);
    return value == null ? Double.NaN : value;
  }
}
