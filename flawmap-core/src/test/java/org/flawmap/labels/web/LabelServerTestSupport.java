package org.flawmap.labels.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.DatasetReaders;
import org.flawmap.testing.TinyDatasets;

/** Starts a label server on a tiny synthetic dataset and sends raw or JSON requests to it. */
final class LabelServerTestSupport {

  /** An HTTP status and body. */
  record Reply(int status, String body) {}

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LabelServerTestSupport() {}

  /** Writes the default tiny MVTec AD dataset (9 anomalous test images) under {@code dir}. */
  static Dataset tinyDataset(Path dir) throws IOException {
    Path root = TinyDatasets.writeMvtec(dir.resolve("data"));
    return DatasetReaders.forLayout("mvtec").read(root);
  }

  static LabelServer start(Dataset dataset, Path labelFile) throws IOException {
    return LabelServer.start(dataset, labelFile, InetAddress.getLoopbackAddress(), 0);
  }

  /** Sends a POST with the page's own Origin and a JSON content type. */
  static Reply postJson(LabelServer server, String json) throws Exception {
    return post(server, "application/json", origin(server), json);
  }

  static Reply post(LabelServer server, String contentType, String origin, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve("api/label"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      request.header("Origin", origin);
    }
    HttpResponse<String> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  static Reply get(LabelServer server, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.url().resolve(path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  /**
   * Sends {@code GET rawPath} over a plain socket, byte for byte, because URI-based clients may
   * normalise {@code ..} segments before sending.
   */
  static Reply rawGet(LabelServer server, String rawPath, String host) throws IOException {
    URI url = server.url();
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String request = "GET " + rawPath + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new Reply(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    }
  }

  static String origin(LabelServer server) {
    URI url = server.url();
    return "http://" + url.getHost() + ":" + url.getPort();
  }

  static String authority(LabelServer server) {
    return server.url().getHost() + ":" + server.url().getPort();
  }

  /** Formats the JSON body of a save. */
  static String saveBody(String path, String category, String background, String note,
      long revision, long version) {
    return ("{\"path\":\"%s\",\"category\":\"%s\",\"background\":\"%s\",\"note\":\"%s\","
        + "\"revision\":%d,\"version\":%d}")
        .formatted(path, category, background, note, revision, version);
  }
}
