package org.flawmap.report.html;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flawmap.report.MetricsSummary;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.flawmap.report.html.BenchmarkResults.Curve;
import org.flawmap.report.html.BenchmarkResults.DatasetInfo;
import org.flawmap.report.html.BenchmarkResults.GalleryItem;
import org.flawmap.report.html.BenchmarkResults.Row;
import org.flawmap.report.html.BenchmarkResults.Sweep;
import org.flawmap.report.html.BenchmarkResults.ThresholdEntry;

/**
 * Checks of {@link BenchmarkResults} that JSON binding cannot make: required text fields, unique
 * cells, estimators and datasets, references between rows and thresholds, metric names, curve
 * lengths and gallery paths. Every problem is collected so that one run lists them all.
 */
final class ResultsValidator {

  /** Gallery kinds, in the order the report shows them. */
  static final List<String> GALLERY_KINDS = List.of("worst", "best", "false_positive");

  private static final Set<String> METRIC_NAMES = Set.of(MetricsSummary.NAMES);
  private static final int MAX_LISTED = 20;

  private final List<String> problems = new ArrayList<>();

  private ResultsValidator() {}

  /**
   * Throws an {@link IOException} that lists every problem of {@code results}, read from
   * {@code file}, or returns when there is none.
   */
  static void check(BenchmarkResults results, Path file) throws IOException {
    ResultsValidator validator = new ResultsValidator();
    validator.checkResults(results);
    List<String> problems = validator.problems;
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("invalid benchmark results ").append(file)
        .append(" (").append(problems.size()).append(" problems; see docs/report.md):");
    for (String problem : problems.subList(0, Math.min(MAX_LISTED, problems.size()))) {
      message.append("\n  ").append(problem);
    }
    if (problems.size() > MAX_LISTED) {
      message.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
    }
    throw new IOException(message.toString());
  }

  private void checkResults(BenchmarkResults results) {
    if (results.provenance() == null) {
      problems.add("provenance is null");
      return;
    }
    var provenance = results.provenance();
    requireText("provenance.flawmap_version", provenance.flawmapVersion());
    requireText("provenance.java_version", provenance.javaVersion());
    requireText("provenance.started", provenance.started());
    requireText("provenance.finished", provenance.finished());
    if (provenance.machine() == null) {
      problems.add("provenance.machine is null");
    }

    Set<String> products = new HashSet<>();
    for (int i = 0; i < provenance.datasets().size(); i++) {
      DatasetInfo dataset = provenance.datasets().get(i);
      String where = "provenance.datasets[" + i + "]";
      requireText(where + ".product", dataset.product());
      requireText(where + ".path", dataset.path());
      if (dataset.product() != null && !products.add(dataset.product())) {
        problems.add(where + ": product '" + dataset.product() + "' is listed twice");
      }
    }

    Set<String> cellKeys = new HashSet<>();
    for (int i = 0; i < results.cells().size(); i++) {
      Cell cell = results.cells().get(i);
      String where = "cells[" + i + "]";
      requireText(where + ".product", cell.product());
      requireText(where + ".model", cell.model());
      requireText(where + ".backbone", cell.backbone());
      if (cell.product() == null || cell.model() == null || cell.backbone() == null) {
        continue;
      }
      where += " (" + cell.label() + ")";
      if (!products.contains(cell.product())) {
        problems.add(where + ": product '" + cell.product()
            + "' is missing from provenance.datasets; add its dataset entry");
      }
      if (!cellKeys.add(cell.label())) {
        problems.add(where + ": a second cell with the same product, model, backbone and seed");
      }
      checkCell(cell, where);
    }
  }

  private void checkCell(Cell cell, String where) {
    Set<String> estimators = new HashSet<>();
    for (int i = 0; i < cell.thresholds().size(); i++) {
      ThresholdEntry entry = cell.thresholds().get(i);
      String at = where + ".thresholds[" + i + "]";
      requireText(at + ".estimator", entry.estimator());
      requireText(at + ".used", entry.used());
      if (!Double.isFinite(entry.threshold())) {
        problems.add(at + ".threshold is " + entry.threshold() + "; expected a finite number");
      }
      if (entry.estimator() != null && !estimators.add(entry.estimator())) {
        problems.add(at + ": estimator '" + entry.estimator() + "' is listed twice");
      }
    }

    Set<String> rowKeys = new HashSet<>();
    for (int i = 0; i < cell.rows().size(); i++) {
      Row row = cell.rows().get(i);
      String at = where + ".rows[" + i + "]";
      requireText(at + ".estimator", row.estimator());
      requireText(at + ".group", row.group());
      if (row.estimator() == null || row.group() == null) {
        continue;
      }
      if (!estimators.contains(row.estimator())) {
        problems.add(at + ": estimator '" + row.estimator() + "' has no entry in thresholds");
      }
      if (!row.group().equals("all") && row.group().indexOf('=') <= 0) {
        problems.add(at + ": group '" + row.group() + "' is neither 'all' nor KIND=VALUE");
      }
      if (!rowKeys.add(row.estimator() + "\n" + row.group())) {
        problems.add(at + ": a second row for estimator '" + row.estimator() + "' and group '"
            + row.group() + "'");
      }
      row.metrics().forEach((name, value) -> checkMetric(at, name, value));
    }

    if (cell.curves() != null) {
      checkCurve(where + ".curves.roc", cell.curves().roc());
      checkCurve(where + ".curves.pro", cell.curves().pro());
      Sweep sweep = cell.curves().sweep();
      if (sweep != null && (sweep.pixelF1().size() != sweep.threshold().size()
          || sweep.meanIou().size() != sweep.threshold().size())) {
        problems.add(where + ".curves.sweep: threshold, pixel_f1 and mean_iou have lengths "
            + sweep.threshold().size() + ", " + sweep.pixelF1().size() + " and "
            + sweep.meanIou().size() + "; expected equal lengths");
      }
    }

    for (int i = 0; i < cell.gallery().size(); i++) {
      checkGalleryItem(where + ".gallery[" + i + "]", cell.gallery().get(i));
    }
  }

  private void checkMetric(String where, String name, Double value) {
    if (!METRIC_NAMES.contains(name)) {
      problems.add(where + ": unknown metric '" + name + "'; valid names: "
          + String.join(", ", MetricsSummary.NAMES));
    } else if (value != null && !Double.isFinite(value)) {
      problems.add(where + ": metric '" + name + "' is " + value
          + "; write null for an undefined metric");
    }
  }

  private void checkCurve(String where, Curve curve) {
    if (curve != null && curve.x().size() != curve.y().size()) {
      problems.add(where + ": x has " + curve.x().size() + " values but y has "
          + curve.y().size() + "; expected equal lengths");
    }
  }

  private void checkGalleryItem(String where, GalleryItem item) {
    if (item.kind() == null || !GALLERY_KINDS.contains(item.kind())) {
      problems.add(where + ".kind is '" + item.kind() + "'; valid kinds: "
          + String.join(", ", GALLERY_KINDS));
    }
    requireText(where + ".id", item.id());
    checkRelativePath(where + ".image", item.image(), false);
    checkRelativePath(where + ".gt", item.gt(), true);
    checkRelativePath(where + ".map", item.map(), false);
    checkRelativePath(where + ".mask", item.mask(), false);
  }

  private void checkRelativePath(String where, String path, boolean nullable) {
    if (path == null) {
      if (!nullable) {
        problems.add(where + " is null; expected a path relative to the output folder");
      }
      return;
    }
    String problem = ImageEmbedder.pathProblem(path);
    if (problem != null) {
      problems.add(where + ": " + problem);
    }
  }

  private void requireText(String where, String value) {
    if (value == null || value.isBlank()) {
      problems.add(where + " is " + (value == null ? "null" : "blank") + "; expected text");
    }
  }
}
