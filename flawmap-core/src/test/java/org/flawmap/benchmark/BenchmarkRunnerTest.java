package org.flawmap.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.flawmap.testing.LocalStatsExtractor;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark of PaDiM and PatchCore on a synthetic product, interrupted and resumed. */
class BenchmarkRunnerTest {

  @TempDir Path tmp;

  @Test
  void interruptedRunResumesAndCompletes() throws Exception {
    Path data = TinyDatasets.writeMvtec(
        tmp, TinyDatasets.Options.defaults().withCounts(16, 5, 4).withSize(64, 64));
    Path configFile = tmp.resolve("bench.yaml");
    Files.writeString(configFile, """
        datasets: [%s]
        backbones: [local-stats]
        models:
          - type: padim
            options: {dimension: 8}
          - type: patchcore
            options: {stages: [0, 1]}
        seeds: [1, 2]
        gallery: {per_kind: 2}
        """.formatted(data.toString()));
    BenchmarkConfig config = BenchmarkConfig.read(configFile);
    Path out = tmp.resolve("out");
    BackboneProvider provider = name -> new LocalStatsExtractor();

    BenchmarkRunner.Outcome first =
        new BenchmarkRunner(config, out, provider, "test").stopAfterCells(3).run();
    assertFalse(first.complete());
    assertEquals(3, first.computed());
    assertEquals(3, cellFiles(out));
    assertFalse(Files.exists(out.resolve("report.html")));
    assertFalse(Files.exists(out.resolve("results.json")), "no results before the last cell");

    BenchmarkRunner.Outcome second = new BenchmarkRunner(config, out, provider, "test").run();
    assertTrue(second.complete());
    assertEquals(1, second.computed());
    assertEquals(3, second.reused());

    // Another split makes other cells: nothing from the earlier run may be reused.
    Path changed = tmp.resolve("bench-split.yaml");
    Files.writeString(changed, Files.readString(configFile) + "split: {seed: 9}\n");
    BenchmarkRunner.Outcome third =
        new BenchmarkRunner(BenchmarkConfig.read(changed), out, provider, "test").run();
    assertEquals(4, third.computed());
    assertEquals(0, third.reused());

    // Back to the first configuration: its four cells are still there.
    BenchmarkRunner.Outcome fourth = new BenchmarkRunner(config, out, provider, "test").run();
    assertEquals(0, fourth.computed());

    JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(4, results.path("cells").size());
    JsonNode cell = results.path("cells").get(0);
    assertEquals(5, cell.path("thresholds").size());
    assertTrue(cell.path("gallery").size() > 0);
    for (JsonNode g : cell.path("gallery")) {
      assertTrue(Files.isRegularFile(out.resolve(g.path("image").asText())), g.toString());
    }
    assertTrue(cell.path("curves").path("roc").path("x").size() > 1);
    assertTrue(cell.path("rows").size() >= 5 * 4, "five estimators × (all + 3 defect types)");
    String csv = Files.readString(out.resolve("results.csv"));
    List<String> lines = csv.lines().toList();
    assertTrue(lines.get(0).startsWith("product,model,backbone,seed,estimator"));
    assertEquals(1 + 4 * cell.path("rows").size(), lines.size());
    assertEquals(64, results.path("provenance").path("datasets").get(0).path("sha256")
        .asText().length());
  }

  private static long cellFiles(Path out) throws Exception {
    try (Stream<Path> files = Files.list(out.resolve("cells"))) {
      return files.filter(p -> p.toString().endsWith(".json")).count();
    }
  }

  @Test
  void resizeAndTileCellsShareCache() throws Exception {
    // 96 × 64 images make 2 tiles of 64 × 64 with an overlap of 16 (columns 0 and 32).
    Path data = TinyDatasets.writeMvtec(
        tmp, TinyDatasets.Options.defaults().withCounts(10, 4, 3).withSize(96, 64));
    Path configFile = tmp.resolve("modes.yaml");
    Files.writeString(configFile, """
        datasets: [%s]
        backbones: [local-stats]
        models:
          - {type: padim, options: {dimension: 8}}
          - {type: padim, options: {dimension: 8}, input_mode: tile, tile_overlap: 16}
        gallery: {per_kind: 1}
        """.formatted(data.toString()));
    Path out = tmp.resolve("modes");

    BenchmarkRunner.Outcome outcome = new BenchmarkRunner(
        BenchmarkConfig.read(configFile), out, name -> new LocalStatsExtractor(), "test").run();

    assertTrue(outcome.complete());
    assertEquals(2, outcome.computed());
    JsonNode cells = new ObjectMapper().readTree(out.resolve("results.json").toFile())
        .path("cells");
    assertEquals("padim(dimension=8)", cells.get(0).path("model").asText());
    assertEquals("padim(dimension=8)@tile(scale=1,overlap=16)",
        cells.get(1).path("model").asText());
    // 10 train and 13 test images, each with one resize file and two tile files.
    long images = 10 + 4 + 3 * 3;
    try (Stream<Path> files = Files.walk(out.resolve("cache"))) {
      assertEquals(images * 3, files.filter(Files::isRegularFile).count());
    }
  }
}
