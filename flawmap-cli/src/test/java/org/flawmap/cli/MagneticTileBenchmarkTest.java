package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.benchmark.BenchmarkConfig;
import org.flawmap.benchmark.BenchmarkRunner;
import org.flawmap.report.html.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark of PaDiM and PatchCore with all five threshold estimators on the real magnetic
 * tile images: interrupted after the first cell, resumed, and checked for its CSV, JSON and
 * HTML report, which is then opened in headless Chromium.
 */
class MagneticTileBenchmarkTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void benchmarkInterruptedResumedAndReported() throws Exception {
    Path data = TestBackbone.magneticTile();
    Path backbone = TestBackbone.folder();
    Path labels = tmp.resolve("labels.csv");
    var suggest = CliTest.run("labels", "suggest", "--dataset", data.toString(), "--output",
        labels.toString());
    assertEquals(0, suggest.exitCode(), suggest.err());
    Path config = tmp.resolve("bench.yaml");
    Files.writeString(config, """
        datasets:
          - path: %s
            labels: %s
        backbones: [%s]
        models: [padim, patchcore]
        """.formatted(data, labels, backbone));
    Path out = tmp.resolve("bench");
    BenchmarkConfig parsed = BenchmarkConfig.read(config);

    BenchmarkRunner.Outcome first =
        new BenchmarkRunner(parsed, out, name -> OnnxFeatureExtractor.open(Path.of(name)), "test")
            .stopAfterCells(1)
            .run();
    assertFalse(first.complete());
    assertEquals(1, first.computed());
    assertFalse(Files.exists(out.resolve("results.json")));

    var resumed = CliTest.run("benchmark", "--config", config.toString(), "--output",
        out.toString());
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("1 computed now, 1 from an earlier run"), resumed.out());

    JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
    assertEquals(2, results.path("cells").size());
    for (JsonNode cell : results.path("cells")) {
      assertEquals(5, cell.path("thresholds").size(), cell.path("model").asText());
      boolean hasCategory = false;
      for (JsonNode row : cell.path("rows")) {
        hasCategory |= row.path("group").asText().startsWith("category=");
      }
      assertTrue(hasCategory, "no per-category rows for " + cell.path("model").asText());
    }
    String csv = Files.readString(out.resolve("results.csv"));
    assertTrue(csv.contains("magnetic_tile,padim,"), csv.substring(0, 200));
    assertTrue(csv.contains("magnetic_tile,patchcore,"), csv.substring(0, 200));

    Path html = out.resolve("report.html");
    assertTrue(Files.isRegularFile(html));
    assumeTrue(HeadlessChromium.isAvailable(),
        "skipped the browser check: /usr/bin/chromium is missing (apt-get install chromium)");
    JsonNode check = JSON.readTree(HeadlessChromium.checkResult(HeadlessChromium.dumpDom(html)));
    assertEquals(0, check.path("broken").asInt(), check.toString());
    assertEquals(0, check.path("missingAnchors").asInt(), check.toString());
    assertTrue(check.path("images").asInt() > 0, check.toString());
    assertTrue(check.path("svgs").asInt() >= 6, check.toString());
  }
}
