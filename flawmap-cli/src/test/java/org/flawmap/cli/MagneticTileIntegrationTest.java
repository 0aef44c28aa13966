package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fit, test and predict on the real magnetic tile images with the default settings. The floors
 * sit a little below the figures measured with these settings (docs/benchmarks.md): image AUROC
 * 0.921, pixel AUROC 0.723, AUPRO 0.743, pixel F1 0.257, mean IoU 0.111.
 */
class MagneticTileIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void fitTestPredictMeetFloors() throws Exception {
    Path data = TestBackbone.magneticTile();
    String backbone = TestBackbone.folder().toString();
    Path model = tmp.resolve("model.flawmap");

    var fit = CliTest.run("fit", "--dataset", data.toString(), "--output", model.toString(),
        "--backbone", backbone);
    assertEquals(0, fit.exitCode(), fit.err());

    Path report = tmp.resolve("report");
    var test = CliTest.run("test", "--model", model.toString(), "--dataset", data.toString(),
        "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode m = JSON.readTree(report.resolve("metrics.json").toFile());
    assertFloor(m, "image_auroc", 0.90);
    assertFloor(m, "pixel_auroc", 0.70);
    assertFloor(m, "aupro", 0.72);
    assertFloor(m, "pixel_f1", 0.23);
    assertFloor(m, "mean_iou", 0.09);
    assertEquals(466, m.path("counts").path("test_images").asInt());
    assertEquals(4, m.path("counts").path("empty_mask_images").asInt());
    for (String type : new String[] {"blowhole", "break", "crack", "fray", "uneven"}) {
      assertTrue(m.path("per_defect_type").has(type), "no figures for " + type);
    }

    Path out = tmp.resolve("pred");
    var predict = CliTest.run("predict", "--model", model.toString(), "--output",
        out.toString(), data.resolve("test/crack").toString());
    assertEquals(0, predict.exitCode(), predict.err());
    assertEquals(57, Files.readAllLines(out.resolve("predictions.jsonl")).size());
  }

  private static void assertFloor(JsonNode metrics, String name, double floor) {
    double value = metrics.path(name).asDouble(Double.NaN);
    assertTrue(value >= floor, name + " = " + value + ", floor " + floor);
  }
}
