package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.patchcore.PatchcoreOptions;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** fit --model patchcore, test and predict on a synthetic dataset with the real backbone. */
class PatchcoreCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path dataset;
  static Path model;
  static String backbone;

  @BeforeAll
  static void fit() throws Exception {
    backbone = TestBackbone.folder().toString();
    dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(12, 5, 4).withSize(96, 96));
    model = tmp.resolve("patchcore.flawmap");
    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", backbone, "--model", "patchcore",
        "--patchcore-coreset-ratio", "0.2", "--patchcore-max-bank", "1500");
    assertEquals(0, fit.exitCode(), fit.err());
  }

  @Test
  void modelFileRecordsTheBank() throws Exception {
    JsonNode manifest = ModelFile.readManifest(model);
    assertEquals("patchcore", manifest.get("model_type").asText());
    JsonNode config = manifest.get("model_config");
    // 12 images × 28 × 28 patches of block_5_add and block_12_add: 9408, a fifth is 1882,
    // capped at 1500.
    assertEquals(9408, config.get("training_patches").asLong());
    assertEquals(1500, config.get("bank_size").asInt());
    assertEquals(128, config.get("feature_dimension").asInt());
    assertEquals("block_5_add", config.get("stage_names").get(0).asText());
    assertEquals("block_12_add", config.get("stage_names").get(1).asText());
  }

  @Test
  void testFindsTheDefects() throws Exception {
    Path report = tmp.resolve("report");
    CliTest.Run test = CliTest.run("test", "--model", model.toString(), "--dataset",
        dataset.toString(), "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
    assertTrue(metrics.get("pixel_auroc").asDouble() > 0.8, metrics.toString());
    assertTrue(metrics.get("image_auroc").asDouble() > 0.8, metrics.toString());
  }

  @Test
  void predictWritesOneLinePerImage() throws Exception {
    Path out = tmp.resolve("pred");
    Path folder = dataset.resolve("test");
    CliTest.Run predict = CliTest.run("predict", "--model", model.toString(), "--output",
        out.toString(), folder.toString());
    assertEquals(0, predict.exitCode(), predict.err());
    List<String> lines = Files.readAllLines(out.resolve("predictions.jsonl"));
    assertEquals(5 + 3 * 4, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertTrue(first.get("image_score").asDouble() > 0, first.toString());
    assertTrue(Files.isRegularFile(out.resolve(first.get("map").asText())));
  }

  @Test
  void invalidValuesNameTheOption() {
    String[][] cases = {
      {"--patchcore-coreset-ratio", "1.5"},
      {"--patchcore-max-bank", "0"},
      {"--patchcore-neighbours", "1"},
      {"--patchcore-stages", "2,1"},
      {"--patchcore-stages", "1,7"},
    };
    for (String[] c : cases) {
      CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
          tmp.resolve("bad.flawmap").toString(), "--backbone", backbone, "--model",
          "patchcore", c[0], c[1]);
      assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), c[0] + " " + c[1] + ": " + fit.err());
      assertTrue(fit.err().contains(c[0]), fit.err());
      assertTrue(fit.err().contains(c[1].replace(",", ", ")) || fit.err().contains(c[1]),
          fit.err());
    }
  }

  @Test
  void unknownModelNamesBothTypes() {
    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        tmp.resolve("bad.flawmap").toString(), "--backbone", backbone, "--model", "spade");
    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("'spade'"), fit.err());
    assertTrue(fit.err().contains("padim, patchcore"), fit.err());
  }

  @Test
  void defaultsMatchTheLibrary() {
    FitCommand command = new FitCommand();
    new CommandLine(command).parseArgs("--dataset", "d", "--output", "m.flawmap");
    assertEquals(PatchcoreOptions.DEFAULTS, command.fitOptions.patchcoreOptions());
  }

  @Test
  void stagesOptionReplacesTheDefault() {
    FitCommand command = new FitCommand();
    new CommandLine(command)
        .parseArgs("--dataset", "d", "--output", "m.flawmap", "--patchcore-stages", "0,2");
    assertEquals(List.of(0, 2), command.fitOptions.patchcoreOptions().stages());
  }

  @Test
  void helpListsTheOptionsWithUnits() {
    CliTest.Run r = CliTest.run("fit", "--help");
    assertEquals(0, r.exitCode());
    for (String option : List.of("--patchcore-coreset-ratio", "--patchcore-max-bank",
        "--patchcore-neighbours", "--patchcore-stages", "--patchcore-max-candidates")) {
      assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
    }
    assertTrue(r.out().contains("in patches"), r.out());
  }
}
