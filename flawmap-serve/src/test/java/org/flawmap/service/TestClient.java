package org.flawmap.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A loopback HTTP client for the service tests, with raw-socket requests for odd framing. */
final class TestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, headers (names lower case) and body. */
  record Reply(int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestClient(URI base) {
    this.base = base;
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Reply post(String path, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  /** Posts {@code body} with chunked transfer encoding, so no Content-Length is sent. */
  Reply postChunked(String path, String contentType, byte[] body) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(body))));
  }

  /** Posts {@code file} as the multipart form field {@code field}. */
  Reply postMultipart(String path, String field, String partType, byte[] file) throws Exception {
    String boundary = "flawmapTestBoundary42";
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
        + "\"; filename=\"upload\"\r\nContent-Type: " + partType + "\r\n\r\n";
    body.write(head.getBytes(StandardCharsets.US_ASCII));
    body.write(file);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return post(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  private Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> headers = new LinkedHashMap<>();
    response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    return new Reply(response.statusCode(), headers, response.body());
  }

  /** Opens a socket to the server for hand-written requests. */
  Socket socket() throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Sends {@code head} (request line and headers) plus {@code body}, then reads the reply. */
  Reply raw(String head, byte[] body) throws IOException {
    try (Socket socket = socket()) {
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return readReply(socket.getInputStream());
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length from {@code in}. */
  static Reply readReply(InputStream in) throws IOException {
    StringBuilder headText = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      headText.append((char) c);
      if (headText.length() >= 4 && headText.substring(headText.length() - 4).equals(
          "\r\n\r\n")) {
        break;
      }
    }
    String[] lines = headText.toString().split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
  }
}
