package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.service.InspectionServer;
import org.flawmap.service.ServiceLimits;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve command's options, and the service's scores against predict's output files. */
class ServeCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path dataset;
  static Path model;

  @BeforeAll
  static void fit() throws Exception {
    String backbone = TestBackbone.folder().toString();
    dataset = TinyDatasets.writeMvtec(
        tmp, TinyDatasets.Options.defaults().withCounts(10, 3, 2).withSize(96, 96));
    model = tmp.resolve("model.flawmap");
    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", backbone, "--padim-dimension", "40");
    assertEquals(0, fit.exitCode(), fit.err());
  }

  @Test
  void serviceScoresEqualPredictLines() throws Exception {
    Path out = tmp.resolve("pred");
    CliTest.Run predict = CliTest.run("predict", "--model", model.toString(), "--output",
        out.toString(), "--no-images", dataset.resolve("test").toString());
    assertEquals(0, predict.exitCode(), predict.err());
    List<String> lines = Files.readAllLines(out.resolve("predictions.jsonl"));
    assertTrue(lines.size() >= 5, "predict wrote " + lines.size() + " lines");

    HttpClient http = HttpClient.newHttpClient();
    try (InspectionServer server = InspectionServer.start(model,
        new InspectionServer.Settings("127.0.0.1", 0, ServiceLimits.DEFAULTS, false, 2))) {
      URI inspect = server.uri().resolve("/v1/inspect");
      for (String line : lines) {
        JsonNode expected = JSON.readTree(line);
        Path image = Path.of(expected.get("image").asText());
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(inspect)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(image))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode actual = JSON.readTree(response.body());
        assertEquals(expected.get("image_score").asDouble(),
            actual.get("image_score").asDouble(), "image score of " + image);
        assertEquals(expected.get("label").asText(), actual.get("label").asText(),
            "label of " + image);
        assertEquals(expected.get("defect_pixels").asInt(), actual.get("defect_pixels").asInt(),
            "defect pixels of " + image);
      }
    }
  }

  @Test
  void invalidOptionsExitWithInvalidInput() {
    CliTest.Run port = CliTest.run("serve", "--model", model.toString(), "--port", "70000");
    assertEquals(Main.EXIT_INVALID_INPUT, port.exitCode(), port.err());
    assertTrue(port.err().contains("--port"), port.err());

    CliTest.Run pixels = CliTest.run("serve", "--model", model.toString(), "--max-pixels",
        "100000000000");
    assertEquals(Main.EXIT_INVALID_INPUT, pixels.exitCode(), pixels.err());
    assertTrue(pixels.err().contains("--max-pixels"), pixels.err());

    CliTest.Run concurrent = CliTest.run("serve", "--model", model.toString(),
        "--max-concurrent", "0");
    assertEquals(Main.EXIT_INVALID_INPUT, concurrent.exitCode(), concurrent.err());
  }
}
