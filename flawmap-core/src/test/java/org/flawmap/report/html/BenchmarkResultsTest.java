package org.flawmap.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.flawmap.report.html.BenchmarkResults.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkResultsTest {

  @TempDir Path folder;

  /** One cell in exactly the schema the benchmark writes, every nullable field null once. */
  static final String MINIMAL = """
      {
        "provenance": {"config": {"models": ["padim"], "k": 3}, "flawmap_version": "0.1.0",
                       "java_version": "17.0.15", "started": "2025-01-02T03:04:05Z",
                       "finished": "2025-01-02T03:05:05Z",
                       "machine": {"cores": 2, "max_heap_mb": 2048, "os": "Linux"},
                       "datasets": [{"product": "magnetic_tile", "path": "/abs/path",
                                     "layout": "mvtec", "train_images": 762,
                                     "validation_images": 116, "test_images": 466,
                                     "sha256": "00ff", "labels": null}],
                       "seeds": [42]},
        "cells": [{
          "product": "magnetic_tile", "model": "padim", "backbone": "mobilenet_v2_nsfwjs",
          "seed": 42, "fit_seconds": 10.1, "inference_ms_per_image": 16.5,
          "peak_heap_mb": null,
          "default_estimator": "f1",
          "thresholds": [{"estimator": "f1", "used": "normal-stats", "threshold": 16.53,
                          "validation_criterion": "pixel F1", "validation_value": null,
                          "warnings": ["fell back"]}],
          "rows": [{"estimator": "f1", "group": "all",
                    "metrics": {"anomalous_images": 314, "normal_images": 152,
                                "image_auroc": 0.92, "mean_iou": null}}],
          "curves": {"roc": {"x": [0, 0.5, 1], "y": [0, 0.8, 1]},
                     "pro": {"x": [0, 0.3], "y": [0, 0.7]},
                     "sweep": {"threshold": [1, 2], "pixel_f1": [0.1, null],
                               "mean_iou": [0.05, 0.02]}},
          "gallery": [{"kind": "false_positive", "id": "test/good/x.jpg", "iou": null,
                       "image_score": 21.3, "image": "gallery/c/0.image.png", "gt": null,
                       "map": "gallery/c/0.map.png", "mask": "gallery/c/0.mask.png"}]
        }]
      }
      """;

  private Path write(String json) throws IOException {
    Path file = folder.resolve("results.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void readsSnakeCaseSchema() throws IOException {
    BenchmarkResults results = BenchmarkResults.read(write(MINIMAL));
    assertEquals(3, results.provenance().config().get("k").asInt());
    assertEquals(2048, results.provenance().machine().maxHeapMb());
    assertEquals(116, results.provenance().datasets().get(0).validationImages());
    assertNull(results.provenance().datasets().get(0).labels());
    Cell cell = results.cells().get(0);
    assertEquals(16.5, cell.inferenceMsPerImage());
    assertNull(cell.peakHeapMb());
    assertEquals("normal-stats", cell.thresholds().get(0).used());
    assertNull(cell.thresholds().get(0).validationValue());
    assertEquals(0.92, cell.row("f1", "all").metric("image_auroc"));
    assertTrue(Double.isNaN(cell.row("f1", "all").metric("mean_iou")));
    assertTrue(Double.isNaN(cell.row("f1", "all").metric("aupro")), "absent metric");
    assertNull(cell.curves().sweep().pixelF1().get(1));
    assertEquals(0.02, cell.curves().sweep().meanIou().get(1));
    assertEquals(21.3, cell.gallery().get(0).imageScore());
    assertNull(cell.gallery().get(0).gt());
  }

  @Test
  void writeThenReadGivesEqualResults() throws IOException {
    BenchmarkResults results = SyntheticBenchmark.create(folder);
    BenchmarkResults again = BenchmarkResults.read(folder.resolve("results.json"));
    assertEquals(results, again);
    assertTrue(Files.readString(folder.resolve("results.json")).contains("\"peak_heap_mb\" : null"),
        "nulls are written, not left out");
  }

  @Test
  void unknownFieldIsRejected() throws IOException {
    Path file = write(MINIMAL.replace("\"fit_seconds\"", "\"fit_secs\": 1, \"fit_seconds\""));
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("\"fit_secs\""), e.getMessage());
  }

  @Test
  void misspeltFieldIsReportedMissing() throws IOException {
    Path file = write(MINIMAL.replace("\"fit_seconds\"", "\"fit_secs\""));
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(file));
    assertTrue(e.getMessage().contains("Missing creator property 'fit_seconds'"), e.getMessage());
    assertTrue(e.getMessage().contains("cells\"]->java.util.ArrayList[0]"), e.getMessage());
  }

  @Test
  void missingFieldIsRejected() throws IOException {
    Path file = write(MINIMAL.replace("\"seed\": 42,", ""));
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(file));
    assertTrue(e.getMessage().contains("'seed'"), e.getMessage());
  }

  @Test
  void nullListIsRejectedWithItsName() throws IOException {
    Path file = write(MINIMAL.replace("\"warnings\": [\"fell back\"]", "\"warnings\": null"));
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(file));
    assertTrue(e.getMessage().contains("'warnings' is null"), e.getMessage());
  }

  @Test
  void missingFileSaysToRunBenchmark() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> BenchmarkHtml.write(folder));
    assertTrue(e.getMessage().contains("results.json"), e.getMessage());
    assertTrue(e.getMessage().contains("run the benchmark first"), e.getMessage());
  }

  @Test
  void validatorListsEveryProblem() throws IOException {
    String broken = MINIMAL
        .replace("\"image_auroc\": 0.92", "\"image_aurock\": 0.92")
        .replace("\"estimator\": \"f1\", \"group\": \"all\"",
            "\"estimator\": \"roc\", \"group\": \"everything\"")
        .replace("\"x\": [0, 0.3]", "\"x\": [0, 0.1, 0.3]")
        .replace("\"gallery/c/0.map.png\"", "\"../elsewhere/map.png\"")
        .replace("\"kind\": \"false_positive\"", "\"kind\": \"average\"")
        .replace("\"backbone\": \"mobilenet_v2_nsfwjs\"", "\"backbone\": \" \"");
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(write(broken)));
    String message = e.getMessage();
    for (String expected : new String[] {
      "unknown metric 'image_aurock'",
      "estimator 'roc' has no entry in thresholds",
      "group 'everything' is neither 'all' nor KIND=VALUE",
      "curves.pro: x has 3 values but y has 2",
      "'../elsewhere/map.png' leaves the output folder",
      "kind is 'average'",
      "cells[0].backbone is blank"
    }) {
      assertTrue(message.contains(expected), "'" + expected + "' missing from: " + message);
    }
  }

  @Test
  void cellWithoutDatasetIsRejected() throws IOException {
    Path file = write(MINIMAL.replace("\"product\": \"magnetic_tile\", \"model\"",
        "\"product\": \"bottle\", \"model\""));
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(file));
    assertTrue(e.getMessage().contains("product 'bottle' is missing from provenance.datasets"),
        e.getMessage());
  }

  @Test
  void nonFiniteMetricIsRejected() throws IOException {
    Path file = write(MINIMAL.replace("\"image_auroc\": 0.92", "\"image_auroc\": \"NaN\""));
    IOException e = assertThrows(IOException.class, () -> BenchmarkResults.read(file));
    assertTrue(e.getMessage().contains("write null for an undefined metric"), e.getMessage());
  }

  @Test
  void absolutePathIsRejected() {
    assertTrue(ImageEmbedder.pathProblem("/etc/passwd").contains("not a path relative"));
    assertTrue(ImageEmbedder.pathProblem("a/../../b.png").contains("'..'"));
    assertNull(ImageEmbedder.pathProblem("gallery/c/0.image.png"));
  }
}
