package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.BatchRunner;
import org.flawmap.inference.Inspector;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Good inspection requests, and agreement with the predict command's inference path. */
class InspectEndpointTest {

  static TestModels.Fixture fixture;
  static InspectionServer server;
  static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = TestModels.fixture();
    server = ServiceFixture.start(fixture.model(), ServiceLimits.DEFAULTS, false);
    client = new TestClient(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void inspectReturnsScoreLabelAndRegions() throws Exception {
    Path image = ServiceFixture.testImages(fixture.dataset()).get(0);
    TestClient.Reply reply = client.post("/v1/inspect", "image/png", Files.readAllBytes(image));

    assertEquals(200, reply.status(), reply.body());
    JsonNode json = reply.json();
    assertEquals(reply.header("X-Request-Id"), json.get("request_id").asText());
    double score = json.get("image_score").asDouble();
    double imageThreshold = json.get("image_threshold").asDouble();
    assertEquals(score >= imageThreshold ? "anomalous" : "normal", json.get("label").asText());
    assertEquals(96, json.get("width").asInt());
    assertEquals(96, json.get("height").asInt());
    int defectPixels = json.get("defect_pixels").asInt();
    assertEquals(defectPixels / (96.0 * 96.0), json.get("defect_fraction").asDouble(), 1e-12);
    int regionArea = 0;
    for (JsonNode region : json.get("regions")) {
      regionArea += region.get("area").asInt();
      assertTrue(region.get("peak_score").asDouble() >= json.get("pixel_threshold").asDouble());
      assertTrue(region.path("box").get("width").asInt() >= 1);
    }
    assertEquals(defectPixels, regionArea);
    JsonNode model = json.get("model");
    assertEquals("padim", model.get("type").asText());
    assertEquals("resize", model.get("input_mode").asText());
    assertEquals(sha256(fixture.model()), model.get("sha256").asText());
    assertEquals(1, model.get("generation").asInt());
  }

  @Test
  void includeReturnsMaskAndOverlayPngs() throws Exception {
    Path image = ServiceFixture.testImages(fixture.dataset()).get(0);
    TestClient.Reply reply =
        client.post("/v1/inspect?include=mask,overlay", "image/png", Files.readAllBytes(image));

    assertEquals(200, reply.status(), reply.body());
    for (String field : List.of("mask_png", "overlay_png")) {
      byte[] png = Base64.getDecoder().decode(reply.json().get(field).asText());
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(decoded, field + " is not a PNG");
      assertEquals(96, decoded.getWidth(), field);
      assertEquals(96, decoded.getHeight(), field);
    }
    assertTrue(reply.json().path("heatmap_png").isMissingNode());
  }

  @Test
  void multipartUploadGivesSameScore() throws Exception {
    byte[] bytes = Files.readAllBytes(ServiceFixture.testImages(fixture.dataset()).get(1));
    TestClient.Reply raw = client.post("/v1/inspect", "application/octet-stream", bytes);
    TestClient.Reply form = client.postMultipart("/v1/inspect", "image", "image/png", bytes);

    assertEquals(200, form.status(), form.body());
    assertEquals(raw.json().get("image_score").asDouble(),
        form.json().get("image_score").asDouble());
  }

  /**
   * Scores every test image through the code of {@code flawmap predict}: BatchRunner with its
   * default batch of 8, then Inspector. The service must return exactly the same image score.
   */
  @Test
  void scoresEqualPredictPathExactly() throws Exception {
    List<Path> images = ServiceFixture.testImages(fixture.dataset());
    ModelBundle bundle = ModelFile.read(fixture.model());
    BackboneDescriptor descriptor = BackboneDescriptor.parse(
        new String(bundle.backboneDescriptor(), java.nio.charset.StandardCharsets.UTF_8),
        "embedded");
    List<Double> expected = new ArrayList<>();
    try (OnnxFeatureExtractor extractor =
            OnnxFeatureExtractor.fromBytes(bundle.backboneOnnx(), descriptor, 2);
        BatchRunner runner = new BatchRunner(extractor, 8, 2, bundle.inputMode())) {
      Inspector inspector =
          new Inspector(bundle.model(), bundle.calibration(), bundle.inputMode());
      runner.run(images, p -> Optional.of(ImageDecoder.decode(p)), (RgbImage im) -> im,
          (image, features) -> expected.add(inspector.inspect(image, features).imageScore()));
    }

    for (int i = 0; i < images.size(); i++) {
      TestClient.Reply reply =
          client.post("/v1/inspect", "image/png", Files.readAllBytes(images.get(i)));
      assertEquals(200, reply.status(), reply.body());
      assertEquals(expected.get(i), reply.json().get("image_score").asDouble(),
          "image score of " + images.get(i));
    }
  }

  @Test
  void healthReadyAndModelEndpoints() throws Exception {
    assertEquals(200, client.get("/healthz").status());
    TestClient.Reply ready = client.get("/readyz");
    assertEquals(200, ready.status());
    assertEquals("ready", ready.json().get("status").asText());
    TestClient.Reply model = client.get("/v1/model");
    assertEquals(200, model.status());
    assertEquals(sha256(fixture.model()), model.json().get("sha256").asText());
    assertTrue(model.json().has("pixel_threshold"));
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
