package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.flawmap.model.io.ModelFile;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --input-mode} option of {@code fit}, on a dataset of wide 96 × 48 images. */
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
        tmp.resolve("y.flawmap").toString(), "--input-mode", "tile");
    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("keep-aspect"), fit.err());
  }

  @Test
  void helpDescribesInputMode() {
    CliTest.Run help = CliTest.run("fit", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--input-mode"), help.out());
    assertTrue(help.out().contains("keep-aspect"), help.out());
  }
}
