package org.flawmap.report.html;

import java.util.List;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.flawmap.report.html.BenchmarkResults.Curve;
import org.flawmap.report.html.BenchmarkResults.Curves;
import org.flawmap.report.html.BenchmarkResults.Sweep;
import org.flawmap.report.html.BenchmarkResults.ThresholdEntry;
import org.flawmap.threshold.ThresholdEstimators;

/**
 * One cell's thresholds and plots: the pixel ROC curve, the PRO curve, and pixel F1 and mean IoU
 * on the test split against the threshold, with each estimator's threshold as a vertical line.
 */
final class CellSection {

  /** Line colours of the estimators, in the order of {@link ThresholdEstimators#names()}. */
  private static final String[] ESTIMATOR_COLOURS = {
    "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"
  };
  private static final String OTHER_COLOUR = "#555555";

  private CellSection() {}

  /** Writes the heading, the table of thresholds and the three plots of {@code cell}. */
  static void write(Html html, Cell cell, Outline outline) {
    outline.heading(html, 4, cell.model() + " / " + cell.backbone() + " / seed " + cell.seed(),
        "cell", cell.product(), cell.model(), cell.backbone(), Long.toString(cell.seed()));
    writeThresholds(html, cell);

    Curves curves = cell.curves();
    html.open("div", "class", "plots");
    writeRoc(html, curves == null ? null : curves.roc());
    writePro(html, curves == null ? null : curves.pro());
    writeSweep(html, curves == null ? null : curves.sweep(), cell.thresholds());
    html.close("div").newline();
  }

  private static void writeThresholds(Html html, Cell cell) {
    html.open("table", "class", "thresholds").open("thead").open("tr");
    html.element("th", "estimator", "class", "text").element("th", "threshold")
        .element("th", "validation criterion", "class", "text").element("th", "on validation")
        .element("th", "warnings", "class", "text");
    html.close("tr").close("thead").open("tbody").newline();
    for (ThresholdEntry entry : cell.thresholds()) {
      boolean fallback = !entry.used().equals(entry.estimator());
      html.open("tr", "class", fallback ? "fallback" : null);
      SummaryTables.writeEstimator(html, entry);
      html.element("td", Html.significant(entry.threshold()));
      html.element("td", entry.validationCriterion(), "class", "text");
      html.metricCell(entry.validationValue() == null ? Double.NaN : entry.validationValue());
      html.element("td", String.join(" ", entry.warnings()), "class", "text warning");
      html.close("tr").newline();
    }
    html.close("tbody").close("table").newline();
  }

  private static void writeRoc(Html html, Curve roc) {
    if (roc == null || roc.x().isEmpty()) {
      writeNoPlot(html, "No ROC curve in results.json for this cell.");
      return;
    }
    new SvgPlot("Pixel ROC", "false-positive rate", "true-positive rate")
        .series("ROC", "#1f77b4", roc.x(), roc.y(), false)
        .series("chance", "#9aa3b5", List.of(0.0, 1.0), List.of(0.0, 1.0), true)
        .writeTo(html);
  }

  private static void writePro(Html html, Curve pro) {
    if (pro == null || pro.x().isEmpty()) {
      writeNoPlot(html, "No PRO curve in results.json for this cell.");
      return;
    }
    double limit = max(pro.x());
    new SvgPlot("Per-region overlap (AUPRO)", "false-positive rate", "PRO")
        .xRange(0, limit)
        .series("PRO", "#2ca02c", pro.x(), pro.y(), false)
        .writeTo(html);
  }

  private static void writeSweep(Html html, Sweep sweep, List<ThresholdEntry> thresholds) {
    if (sweep == null || sweep.threshold().isEmpty()) {
      writeNoPlot(html, "No threshold sweep in results.json for this cell.");
      return;
    }
    SvgPlot plot = new SvgPlot("Test metrics against the threshold", "pixel threshold",
        "metric on the test split")
        .xRange(min(sweep.threshold()), max(sweep.threshold()))
        .series("mean IoU", "#1f77b4", sweep.threshold(), sweep.meanIou(), false)
        .series("pixel F1", "#ff7f0e", sweep.threshold(), sweep.pixelF1(), true);
    for (ThresholdEntry entry : thresholds) {
      plot.marker(entry.estimator() + " " + Html.significant(entry.threshold()),
          entry.threshold(), colour(entry.estimator()));
    }
    plot.writeTo(html);
  }

  static String colour(String estimator) {
    int index = ThresholdEstimators.names().indexOf(estimator);
    return index < 0 ? OTHER_COLOUR : ESTIMATOR_COLOURS[index];
  }

  private static void writeNoPlot(Html html, String message) {
    html.element("p", message, "class", "no-plot");
  }

  private static double min(List<Double> values) {
    return values.stream().filter(v -> v != null && Double.isFinite(v))
        .mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().filter(v -> v != null && Double.isFinite(v))
        .mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
