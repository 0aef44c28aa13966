package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.model.io.ModelFile;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --input-mode} and tile options of {@code fit}, {@code run} and {@code predict}. */
class InputModeCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void keepAspectFitIsRecordedAndTested() throws Exception {
    String backbone = TestBackbone.folder().toString();
    Path dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(12, 5, 4).withSize(96, 48));
    Path model = tmp.resolve("keep.flawmap");

    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", backbone, "--padim-dimension", "40",
        "--input-mode", "keep-aspect");
    assertEquals(0, fit.exitCode(), fit.err());
    assertEquals("keep-aspect", ModelFile.readManifest(model).path("input").path("mode").asText());

    Path report = tmp.resolve("report");
    CliTest.Run test = CliTest.run("test", "--model", model.toString(), "--dataset",
        dataset.toString(), "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
    assertTrue(metrics.path("pixel_auroc").isNumber(), metrics.toString());
  }

  @Test
  void unknownModeNamesTheValidOnes() {
    CliTest.Run fit = CliTest.run("fit", "--dataset", tmp.toString(), "--output",
        tmp.resolve("y.flawmap").toString(), "--input-mode", "tiles");
    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("keep-aspect"), fit.err());
    assertTrue(fit.err().contains("tile"), fit.err());
  }

  @Test
  void tileRunRecordsSettingsAndPredicts() throws Exception {
    String backbone = TestBackbone.folder().toString();
    // 288 × 100 images: two 224 × 224 tiles side by side, sharing 160 columns, rows padded.
    Path dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(10, 4, 3).withSize(288, 100));
    Path out = tmp.resolve("run");

    CliTest.Run run = CliTest.run("run", "--dataset", dataset.toString(), "--output",
        out.toString(), "--backbone", backbone, "--padim-dimension", "40", "--no-maps",
        "--input-mode", "tile", "--tile-scale", "1", "--tile-overlap", "32");
    assertEquals(0, run.exitCode(), run.err());
    Path model = out.resolve("model.flawmap");
    JsonNode input = ModelFile.readManifest(model).path("input");
    assertEquals("tile", input.path("mode").asText());
    assertEquals(1.0, input.path("tile_scale").asDouble());
    assertEquals(32, input.path("tile_overlap").asInt());
    JsonNode metrics = JSON.readTree(out.resolve("report/metrics.json").toFile());
    assertTrue(metrics.path("pixel_auroc").isNumber(), metrics.toString());

    Path predictions = tmp.resolve("pred");
    CliTest.Run predict = CliTest.run("predict", "--model", model.toString(), "--output",
        predictions.toString(), dataset.resolve("test/good").toString());
    assertEquals(0, predict.exitCode(), predict.err());
    List<String> lines = Files.readAllLines(predictions.resolve("predictions.jsonl"));
    assertEquals(4, lines.size());
    assertTrue(JSON.readTree(lines.get(0)).has("image_score"), lines.get(0));
  }

  @Test
  void tileOptionsOutsideTileModeRejected() {
    CliTest.Run fit = CliTest.run("fit", "--dataset", tmp.toString(), "--output",
        tmp.resolve("z.flawmap").toString(), "--tile-overlap", "32");
    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("--input-mode tile"), fit.err());
  }

  @Test
  void tileCountLimitFailsWithAdvice() throws Exception {
    String backbone = TestBackbone.folder().toString();
    Path dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(12, 5, 4).withSize(96, 96));
    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        tmp.resolve("many.flawmap").toString(), "--backbone", backbone, "--padim-dimension",
        "40", "--input-mode", "tile", "--tile-scale", "16", "--tile-overlap", "223");

    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("maximum of 4096"), fit.err());
    assertTrue(fit.err().contains("--tile-overlap"), fit.err());
  }

  @Test
  void tinyTileScaleRejected() {
    CliTest.Run fit = CliTest.run("fit", "--dataset", tmp.toString(), "--output",
        tmp.resolve("tiny.flawmap").toString(), "--input-mode", "tile", "--tile-scale",
        "0.0001");

    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("1/64"), fit.err());
  }

  @Test
  void helpDescribesInputMode() {
    CliTest.Run help = CliTest.run("fit", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--input-mode"), help.out());
    assertTrue(help.out().contains("keep-aspect"), help.out());
    assertTrue(help.out().contains("--tile-scale"), help.out());
    assertTrue(help.out().contains("--tile-overlap"), help.out());
  }
}
