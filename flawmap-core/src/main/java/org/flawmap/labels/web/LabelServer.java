package org.flawmap.labels.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.flawmap.dataset.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local web server of the labelling page: one anomalous image at a time with its mask and a
 * defect-free reference, where every choice is saved at once to the label file.
 *
 * <p>Routes: {@code GET /} and the page's assets (resources next to this class), {@code GET
 * /api/state} (every anomalous image with its row or suggestion, see {@link LabelApi}), {@code
 * POST /api/label} (save one row), and {@code GET /files/PATH} (an image under the dataset
 * folder). Safety rules, with the status
 * of a rejected request:
 *
 * <ul>
 *   <li>the Host header must name the bound address and port, unless the server binds a wildcard
 *       address, which keeps other web sites out through DNS rebinding (403);
 *   <li>a POST needs an Origin header equal to {@code http://HOST} (403) and a JSON content type
 *       (415), and its body may have at most {@value #MAX_BODY_BYTES} bytes (413);
 *   <li>files are served only when their real path is under the real dataset root (403) and
 *       they have an image extension (404).
 * </ul>
 *
 * <p>Every error is logged with a request id, which the response carries in {@code
 * X-Request-Id}.
 */
public final class LabelServer implements AutoCloseable {

  /** Maximum size of a POST body in bytes; a row with a long note is well under 10 KiB. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Map<String, String> ASSETS = Map.of(
      "/", "index.html",
      "/index.html", "index.html",
      "/page.js", "page.js",
      "/page.css", "page.css");

  private static final Logger log = LoggerFactory.getLogger(LabelServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final LabelApi api;
  private final DatasetFiles files;
  private final AtomicLong requestIds = new AtomicLong();
  private final boolean checkHost;
  private final String authority;

  private LabelServer(HttpServer server, ExecutorService executor, LabelApi api,
      DatasetFiles files, boolean checkHost) {
    this.server = server;
    this.executor = executor;
    this.api = api;
    this.files = files;
    this.checkHost = checkHost;
    InetSocketAddress address = server.getAddress();
    this.authority = hostLiteral(address.getAddress()) + ":" + address.getPort();
  }

  /**
   * Starts the server for {@code dataset} and the label file {@code labelFile} (created on the
   * first save when missing).
   *
   * @param bind address to listen on, usually 127.0.0.1
   * @param port TCP port, 0 for a free one
   * @throws IOException when the label file cannot be read or the port cannot be bound
   */
  public static LabelServer start(Dataset dataset, Path labelFile, InetAddress bind, int port)
      throws IOException {
    LabelStore store = new LabelStore(labelFile);
    LabelApi api = new LabelApi(dataset, store);
    DatasetFiles files = new DatasetFiles(dataset.root());

    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "flawmap-label-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    LabelServer labelServer =
        new LabelServer(server, executor, api, files, !bind.isAnyLocalAddress());
    server.createContext("/", labelServer::handle);
    server.start();
    log.info("label server for {} started at {}, writing {}", dataset.product(),
        labelServer.url(), labelFile);
    return labelServer;
  }

  /** Returns the page's address, such as {@code http://127.0.0.1:41234/}. */
  public URI url() {
    return URI.create("http://" + authority + "/");
  }

  /** Stops the server, waiting up to a second for requests in progress. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("label server at {} stopped", url());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String requestId = Long.toString(requestIds.incrementAndGet());
    exchange.getResponseHeaders().set("X-Request-Id", requestId);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    try {
      route(exchange);
    } catch (HttpError e) {
      log.warn("request {} {} {} failed with {}: {}", requestId, exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(), e.status, e.getMessage());
      respondQuietly(exchange, e.status, e.getMessage() + " (request " + requestId + ")\n");
    } catch (IOException | RuntimeException e) {
      log.error("request {} {} {} failed", requestId, exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(), e);
      respondQuietly(exchange, 500,
          "internal error, see the server log for request " + requestId + "\n");
    } finally {
      exchange.close();
    }
  }

  /** Sends an error text, unless the response had already started when the error happened. */
  private static void respondQuietly(HttpExchange exchange, int status, String text) {
    if (exchange.getResponseCode() != -1) {
      return;
    }
    try {
      respond(exchange, status, "text/plain; charset=utf-8",
          text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      log.debug("could not send the error response: {}", e.getMessage());
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    checkHost(exchange);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();

    if (path.equals("/api/label")) {
      requireMethod(method, "POST");
      checkPost(exchange);
      LabelApi.Response response = api.save(readBody(exchange));
      respond(exchange, response.status(), "application/json", response.body());
      return;
    }
    requireMethod(method, "GET");
    if (path.equals("/api/state")) {
      respond(exchange, 200, "application/json", api.state());
    } else if (path.startsWith("/files/")) {
      serveFile(exchange, path.substring("/files/".length()));
    } else if (path.equals("/favicon.ico")) {
      respond(exchange, 204, "text/plain", new byte[0]);
    } else if (ASSETS.containsKey(path)) {
      serveAsset(exchange, ASSETS.get(path));
    } else {
      throw new HttpError(404, "no page at " + path);
    }
  }

  private void checkHost(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null) {
      throw new HttpError(400, "the request has no Host header");
    }
    if (checkHost && !host.equalsIgnoreCase(authority)
        && !(isLoopback() && host.equalsIgnoreCase("localhost:" + port()))) {
      throw new HttpError(403, "host " + host + " is not this server; open " + url());
    }
  }

  private void checkPost(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin == null || !origin.equalsIgnoreCase("http://" + host)) {
      throw new HttpError(403, "cross-origin request from " + origin + " rejected; only pages"
          + " of http://" + host + " may save labels");
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new HttpError(415, "content type " + type + " is not supported; send"
          + " application/json");
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new HttpError(413, "request body is larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  private void serveFile(HttpExchange exchange, String relative) throws IOException {
    Optional<Path> file;
    try {
      file = files.resolve(relative);
    } catch (SecurityException e) {
      throw new HttpError(403, e.getMessage());
    }
    if (file.isEmpty()) {
      throw new HttpError(404, "no image " + relative + " in the dataset folder");
    }
    exchange.getResponseHeaders().set("Cache-Control", "private, max-age=3600");
    respond(exchange, 200, DatasetFiles.contentType(file.get()).orElseThrow(),
        Files.readAllBytes(file.get()));
  }

  private static void serveAsset(HttpExchange exchange, String name) throws IOException {
    byte[] body;
    try (InputStream in = LabelServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      body = in.readAllBytes();
    }
    String type = name.endsWith(".html") ? "text/html; charset=utf-8"
        : name.endsWith(".css") ? "text/css; charset=utf-8"
        : "text/javascript; charset=utf-8";
    exchange.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; img-src 'self'; frame-ancestors 'none'");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    respond(exchange, 200, type, body);
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw new HttpError(405, "method " + method + " is not allowed here; use " + expected);
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private boolean isLoopback() {
    return server.getAddress().getAddress().isLoopbackAddress();
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static String hostLiteral(InetAddress address) {
    String text = address.getHostAddress();
    return text.contains(":") ? "[" + text + "]" : text;
  }

  /** A failed request with the HTTP status to send. */
  static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
