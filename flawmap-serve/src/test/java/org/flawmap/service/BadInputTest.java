package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad request gets its 4xx status and a JSON error; the server keeps serving. */
class BadInputTest {

  static final long MAX_BODY = 1 << 20;

  static InspectionServer server;
  static TestClient client;
  static byte[] png;

  @BeforeAll
  static void start() throws Exception {
    TestModels.Fixture fixture = TestModels.fixture();
    png = Files.readAllBytes(ServiceFixture.testImages(fixture.dataset()).get(0));
    server = ServiceFixture.start(
        fixture.model(), ServiceLimits.DEFAULTS.withMaxBodyBytes(MAX_BODY), false);
    client = new TestClient(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Checks the status, the error code, and that the body's request id is the header's. */
  static void assertError(TestClient.Reply reply, int status, String code) throws IOException {
    assertEquals(status, reply.status(), reply.body());
    assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.headers()
        .toString());
    JsonNode json = reply.json();
    assertEquals(code, json.path("error").asText(), reply.body());
    assertFalse(json.path("message").asText().isBlank(), reply.body());
    String requestId = reply.header("X-Request-Id");
    if (requestId != null) {
      assertEquals(requestId, json.path("request_id").asText());
    }
  }

  @Test
  void notAnImage() throws Exception {
    assertError(client.post("/v1/inspect", "image/png", "hello".getBytes()), 400,
        "not_an_image");
  }

  @Test
  void truncatedImage() throws Exception {
    byte[] half = Arrays.copyOf(png, png.length / 2);
    assertError(client.post("/v1/inspect", "image/png", half), 422, "truncated_image");
  }

  @Test
  void corruptImage() throws Exception {
    byte[] damaged = png.clone();
    damaged[40] ^= 0x55;
    assertError(client.post("/v1/inspect", "image/png", damaged), 422, "corrupt_image");
  }

  @Test
  void emptyBody() throws Exception {
    assertError(client.post("/v1/inspect", "image/png", new byte[0]), 400, "empty_body");
  }

  @Test
  void enormousDimensionsRejectedFromHeader() throws Exception {
    TestClient.Reply reply = client.post("/v1/inspect", "image/png", pngHeader(100_000, 100_000));
    assertError(reply, 413, "image_too_large");
    assertTrue(reply.json().get("message").asText().contains("100000 × 100000"), reply.body());
  }

  @Test
  void wrongContentType() throws Exception {
    assertError(client.post("/v1/inspect", "text/plain", png), 415, "unsupported_media_type");
    assertError(client.post("/v1/inspect", "image/tiff", png), 415, "unsupported_media_type");
    assertError(client.post("/v1/inspect", null, png), 415, "unsupported_media_type");
  }

  @Test
  void contentTypeMismatch() throws Exception {
    assertError(client.post("/v1/inspect", "image/jpeg", png), 415, "content_type_mismatch");
  }

  @Test
  void tiffBytesUnsupported() throws Exception {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0};
    assertError(client.post("/v1/inspect", "application/octet-stream", tiff), 415,
        "unsupported_image_format");
  }

  @Test
  void bodyOverLimitByContentLength() throws Exception {
    byte[] big = new byte[(int) MAX_BODY + 1];
    assertError(client.post("/v1/inspect", "image/png", big), 413, "body_too_large");
  }

  @Test
  void chunkedBodyOverLimit() throws Exception {
    byte[] big = new byte[(int) MAX_BODY + 100_000];
    assertError(client.postChunked("/v1/inspect", "image/png", big), 413, "body_too_large");
  }

  @Test
  void missingLength() throws Exception {
    String head = "POST /v1/inspect HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
        + "Connection: close\r\n\r\n";
    assertError(client.raw(head, new byte[0]), 411, "length_required");
  }

  @Test
  void wrongMethod() throws Exception {
    TestClient.Reply reply = client.get("/v1/inspect");
    assertError(reply, 405, "method_not_allowed");
    assertEquals("POST", reply.header("Allow"));
    assertError(client.post("/healthz", "image/png", png), 405, "method_not_allowed");
  }

  @Test
  void unknownPath() throws Exception {
    assertError(client.get("/v2/inspect"), 404, "not_found");
  }

  @Test
  void multipartWithoutImageField() throws Exception {
    assertError(client.postMultipart("/v1/inspect", "file", "image/png", png), 400,
        "missing_field");
  }

  @Test
  void multipartWithEmptyImageField() throws Exception {
    TestClient.Reply reply = client.postMultipart("/v1/inspect", "image", "image/png", new byte[0]);
    assertError(reply, 400, "empty_field");
    assertTrue(reply.json().get("message").asText().contains("'image' field is empty"),
        reply.body());
  }

  @Test
  void multipartWithTwoImageFields() throws Exception {
    String boundary = "flawmapTestBoundary42";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < 2; i++) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\";"
          + " filename=\"upload" + i + ".png\"\r\nContent-Type: image/png\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      body.write(png);
      body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    TestClient.Reply reply = client.post(
        "/v1/inspect", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    assertError(reply, 400, "duplicate_field");
  }

  @Test
  void headAnsweredLikeGetWithoutBody() throws Exception {
    for (String path : java.util.List.of("/healthz", "/readyz")) {
      try (java.net.Socket socket = client.socket()) {
        socket.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String reply = new String(socket.getInputStream().readAllBytes(),
            StandardCharsets.US_ASCII);
        assertTrue(reply.startsWith("HTTP/1.1 200"), path + ": " + reply);
        assertTrue(reply.toLowerCase(java.util.Locale.ROOT)
            .contains("content-type: application/json"), path + ": " + reply);
        assertTrue(reply.endsWith("\r\n\r\n"), path + " sent a body: " + reply);
      }
    }
  }

  @Test
  void enormousJpegRejectedFromHeader() throws Exception {
    byte[] jpeg = ImageHeaderTest.withFrameSize(ImageHeaderTest.jpeg(16, 16), 65_535, 65_535);

    TestClient.Reply reply = client.post("/v1/inspect", "image/jpeg", jpeg);

    assertError(reply, 413, "image_too_large");
    assertTrue(reply.json().get("message").asText().contains("65535 × 65535"), reply.body());
  }

  @Test
  void enormousBmpRejectedFromHeader() throws Exception {
    TestClient.Reply reply = client.post("/v1/inspect", "image/bmp", bmpHeader(50_000, 50_000));
    assertError(reply, 413, "image_too_large");
    assertTrue(reply.json().get("message").asText().contains("50000 × 50000"), reply.body());
  }

  @Test
  void bmpHeaderSizes() throws Exception {
    assertEquals(new ImageHeader.Size(org.flawmap.image.ImageFormat.BMP, 640, 480),
        ImageHeader.probe(bmpHeader(640, 480)).orElseThrow());
    // A negative height marks a top-down bitmap of the same size.
    assertEquals(new ImageHeader.Size(org.flawmap.image.ImageFormat.BMP, 640, 480),
        ImageHeader.probe(bmpHeader(640, -480)).orElseThrow());
    assertTrue(ImageHeader.probe(Arrays.copyOf(bmpHeader(640, 480), 20)).isEmpty());
  }

  /** Builds a 24-bit BMP file header and BITMAPINFOHEADER with the given size and no pixels. */
  static byte[] bmpHeader(int width, int height) {
    java.nio.ByteBuffer bmp =
        java.nio.ByteBuffer.allocate(54).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bmp.put((byte) 'B').put((byte) 'M');
    bmp.putInt(54 + (int) Math.min(Integer.MAX_VALUE - 54, 3L * width * Math.abs(height)));
    bmp.putInt(0).putInt(54);
    bmp.putInt(40).putInt(width).putInt(height);
    bmp.putShort((short) 1).putShort((short) 24);
    bmp.putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
    return bmp.array();
  }

  @Test
  void multipartWithoutBoundary() throws Exception {
    assertError(client.post("/v1/inspect", "multipart/form-data", png), 400,
        "invalid_multipart");
  }

  @Test
  void unknownInclude() throws Exception {
    assertError(client.post("/v1/inspect?include=mask,xray", "image/png", png), 400,
        "invalid_parameter");
  }

  @Test
  void reloadDisabledByDefault() throws Exception {
    assertError(client.post("/v1/admin/reload", "application/json", new byte[0]), 403,
        "reload_disabled");
  }

  @Test
  void malformedRequestLine() throws Exception {
    TestClient.Reply reply =
        client.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", new byte[0]);
    assertError(reply, 400, "http_400");
    assertEquals(16, reply.json().get("request_id").asText().length(), reply.body());
  }

  @Test
  void oversizedHeadersGet431Once() throws Exception {
    String head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(20_000)
        + "\r\n\r\n";

    TestClient.Reply reply = client.raw(head, new byte[0]);

    assertError(reply, 431, "http_431");
    String message = reply.json().get("message").asText();
    assertFalse(message.contains("(Request Header Fields Too Large)"), message);
  }

  @Test
  void httpLayerErrorsAreCounted() throws Exception {
    String requests = "flawmap_serve_requests_total{endpoint=\"http_layer\",status=\"400\"}";
    String errors = "flawmap_serve_errors_total{kind=\"http_400\"}";
    String before = client.get("/metrics").body();

    client.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", new byte[0]);
    client.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", new byte[0]);
    String after = client.get("/metrics").body();

    // Other tests share this server, so the check is on the increase.
    assertEquals(2.0, sample(after, requests) - sample(before, requests), 0.0, after);
    assertEquals(2.0, sample(after, errors) - sample(before, errors), 0.0, after);
  }

  /** Returns the value of one sample in Prometheus text, or 0 when it is not there yet. */
  private static double sample(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }

  @Test
  void goodRequestSucceedsAfterBadOnes() throws Exception {
    for (int i = 0; i < 3; i++) {
      client.post("/v1/inspect", "image/png", "garbage".getBytes());
      client.post("/v1/inspect", "image/png", Arrays.copyOf(png, 100));
      client.get("/nowhere");
    }
    TestClient.Reply reply = client.post("/v1/inspect", "image/png", png);
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.json().has("image_score"));
    String requestId = reply.header("X-Request-Id");
    assertEquals(16, requestId.length(), requestId);
  }

  @Test
  void clientRequestIdIsEchoed() throws Exception {
    String head = "GET /nowhere HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: line-7.cam-2\r\n"
        + "Connection: close\r\n\r\n";
    TestClient.Reply reply = client.raw(head, new byte[0]);
    assertEquals("line-7.cam-2", reply.header("X-Request-Id"));
    assertEquals("line-7.cam-2", reply.json().get("request_id").asText());
  }

  /** A rejected body is read to its end, so the same connection serves the next request. */
  @Test
  void connectionSurvivesRejectedBody() throws Exception {
    byte[] body = new byte[200_000];
    String first = "POST /v1/inspect HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    String second = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    try (java.net.Socket socket = client.socket()) {
      java.io.OutputStream out = socket.getOutputStream();
      out.write(first.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.write(second.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      java.io.InputStream in = socket.getInputStream();
      assertError(TestClient.readReply(in), 415, "unsupported_media_type");
      assertEquals(200, TestClient.readReply(in).status());
    }
  }

  /** Builds a PNG of only an IHDR with the given size and an IEND, so it has no pixel data. */
  static byte[] pngHeader(int width, int height) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(ihdr);
    data.writeInt(width);
    data.writeInt(height);
    data.write(new byte[] {8, 2, 0, 0, 0});
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(typeBytes);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
