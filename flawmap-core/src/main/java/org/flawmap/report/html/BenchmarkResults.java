package org.flawmap.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flawmap.report.AtomicFiles;

/**
 * The content of a benchmark's {@code results.json}: provenance, then one {@link Cell} per
 * product × model × backbone × seed with its thresholds, grouped metrics, curves and gallery.
 *
 * <p>JSON names are the component names in snake case ({@code fitSeconds} is
 * {@code fit_seconds}). Every field must be present, and a field marked nullable may be
 * {@code null}. Unknown fields are rejected so that a misspelt name fails at once instead of
 * showing as "n/a" in the report. {@link #read} also checks the cross references (see
 * {@link ResultsValidator}).
 */
public record BenchmarkResults(Provenance provenance, List<Cell> cells) {

  /** File name of the results inside a benchmark output folder. */
  public static final String FILE_NAME = "results.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  public BenchmarkResults {
    cells = copy(cells, "cells");
  }

  /**
   * Provenance of the benchmark: configuration, versions, times, machine, datasets and seeds.
   *
   * @param config the benchmark configuration as given, any JSON value
   * @param started ISO-8601 time at which the benchmark started
   * @param finished ISO-8601 time at which it finished
   * @param seeds the seeds that every model was run with
   */
  public record Provenance(
      JsonNode config,
      String flawmapVersion,
      String javaVersion,
      String started,
      String finished,
      Machine machine,
      List<DatasetInfo> datasets,
      List<Long> seeds) {

    public Provenance {
      datasets = copy(datasets, "datasets");
      seeds = copy(seeds, "seeds");
    }
  }

  /** The machine that ran the benchmark, with the JVM's maximum heap in MB (2^20 bytes). */
  public record Machine(int cores, long maxHeapMb, String os) {}

  /**
   * One dataset (product) of the benchmark.
   *
   * @param path absolute path of the dataset folder
   * @param layout dataset layout name, for example {@code mvtec}
   * @param sha256 hex SHA-256 over the dataset's file list and contents
   * @param labels absolute path of the label file, nullable when none was given
   */
  public record DatasetInfo(
      String product,
      String path,
      String layout,
      int trainImages,
      int validationImages,
      int testImages,
      String sha256,
      String labels) {}

  /**
   * One product × model × backbone × seed run.
   *
   * @param fitSeconds wall time of the fit in seconds, nullable when not measured
   * @param inferenceMsPerImage inference wall time per test image in ms, nullable
   * @param peakHeapMb peak JVM heap in MB (2^20 bytes) during the cell, nullable
   * @param defaultEstimator the estimator whose threshold draws the gallery masks, nullable
   * @param thresholds one entry per threshold estimator, fitted on validation
   * @param rows test metrics, one row per estimator × group
   * @param curves threshold-free curves and the threshold sweep, nullable
   * @param gallery example test images, possibly empty
   */
  public record Cell(
      String product,
      String model,
      String backbone,
      long seed,
      Double fitSeconds,
      Double inferenceMsPerImage,
      Double peakHeapMb,
      String defaultEstimator,
      List<ThresholdEntry> thresholds,
      List<Row> rows,
      Curves curves,
      List<GalleryItem> gallery) {

    public Cell {
      thresholds = copy(thresholds, "thresholds");
      rows = copy(rows, "rows");
      gallery = copy(gallery, "gallery");
    }

    /** Returns "product / model / backbone / seed N" for headings and messages. */
    public String label() {
      return product + " / " + model + " / " + backbone + " / seed " + seed;
    }

    /** Returns the row of {@code estimator} and {@code group}, or null when there is none. */
    public Row row(String estimator, String group) {
      for (Row row : rows) {
        if (row.estimator().equals(estimator) && row.group().equals(group)) {
          return row;
        }
      }
      return null;
    }
  }

  /**
   * One threshold estimator's result on the validation split.
   *
   * @param estimator the estimator that was requested
   * @param used the estimator that set the threshold; it differs from {@code estimator} after a
   *     fallback, for example to {@code normal-stats} without defect pixels in validation
   * @param validationValue the criterion reached on validation, nullable when undefined
   */
  public record ThresholdEntry(
      String estimator,
      String used,
      double threshold,
      String validationCriterion,
      Double validationValue,
      List<String> warnings) {

    public ThresholdEntry {
      warnings = copy(warnings, "warnings");
    }
  }

  /**
   * Test metrics of one estimator's threshold on one group.
   *
   * @param group {@code all} or {@code KIND=VALUE}, for example {@code category=surface}
   * @param metrics values under the names of {@code MetricsSummary.NAMES}; a null value is an
   *     undefined metric
   */
  public record Row(String estimator, String group, Map<String, Double> metrics) {

    public Row {
      if (metrics == null) {
        throw new IllegalArgumentException("'metrics' is null; write an empty object {} instead");
      }
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Returns the metric, or NaN when it is undefined or absent. */
    public double metric(String name) {
      Double value = metrics.get(name);
      return value == null ? Double.NaN : value;
    }
  }

  /**
   * Curves of one cell, each nullable when the benchmark did not record it.
   *
   * @param roc pixel ROC: x is the false-positive rate, y the true-positive rate
   * @param pro per-region overlap: x is the false-positive rate up to the AUPRO limit, y the PRO
   * @param sweep test metrics of the estimator-free threshold sweep
   */
  public record Curves(Curve roc, Curve pro, Sweep sweep) {}

  /** A curve as two arrays of equal length; a null element is a gap in the line. */
  public record Curve(List<Double> x, List<Double> y) {

    public Curve {
      x = copyWithGaps(x, "x");
      y = copyWithGaps(y, "y");
    }
  }

  /**
   * Pixel F1 and mean IoU on the test split against the pixel threshold, three arrays of equal
   * length. A null element is a gap in the line.
   */
  public record Sweep(List<Double> threshold, List<Double> pixelF1, List<Double> meanIou) {

    public Sweep {
      threshold = copyWithGaps(threshold, "threshold");
      pixelF1 = copyWithGaps(pixelF1, "pixel_f1");
      meanIou = copyWithGaps(meanIou, "mean_iou");
    }
  }

  /**
   * One example test image with its pictures, as paths relative to the output folder.
   *
   * @param kind {@code worst} or {@code best} (by IoU), or {@code false_positive} (a normal image
   *     with predicted defect pixels)
   * @param id the image's path inside the dataset, for example {@code test/crack/x.jpg}
   * @param iou the image's IoU, nullable (normal images have none)
   * @param imageScore the image score (maximum of the anomaly map), nullable
   * @param gt ground-truth mask, nullable for normal images
   */
  public record GalleryItem(
      String kind,
      String id,
      Double iou,
      Double imageScore,
      String image,
      String gt,
      String map,
      String mask) {}

  /**
   * Reads and checks {@code file}.
   *
   * @throws IOException when the file cannot be read, is not valid JSON for this model, or fails
   *     a check of {@link ResultsValidator}; the message names the file and the field
   */
  public static BenchmarkResults read(Path file) throws IOException {
    BenchmarkResults results;
    try {
      results = JSON.readValue(Files.readAllBytes(file), BenchmarkResults.class);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          file.toString(), null, "benchmark results not found; run the benchmark first");
    } catch (JsonProcessingException e) {
      throw new IOException(
          "invalid benchmark results %s: %s".formatted(file, e.getOriginalMessage())
              + " (at " + location(e) + "); see docs/report.md for the schema",
          e);
    }
    ResultsValidator.check(results, file);
    return results;
  }

  private static String location(JsonProcessingException e) {
    String where = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
        ? m.getPathReference() : "";
    if (e.getLocation() != null) {
      where += " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
    return where.isBlank() ? "unknown position" : where.strip();
  }

  /** Returns an unmodifiable copy, rejecting a null list or element with the field's name. */
  static <T> List<T> copy(List<T> list, String field) {
    if (list == null) {
      throw new IllegalArgumentException("'" + field + "' is null; write an empty list [] instead");
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new IllegalArgumentException("'" + field + "[" + i + "]' is null");
      }
    }
    return List.copyOf(list);
  }

  private static List<Double> copyWithGaps(List<Double> list, String field) {
    if (list == null) {
      throw new IllegalArgumentException("'" + field + "' is null; write an empty list [] instead");
    }
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** Writes these results as JSON to {@code file} atomically, nulls included. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, out -> out.write(JSON.writeValueAsBytes(this)));
  }

  /** Returns these results as JSON text in the schema that {@link #read} accepts. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("failed to serialise benchmark results: " + e, e);
    }
  }
}
