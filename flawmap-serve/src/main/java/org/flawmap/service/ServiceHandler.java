package org.flawmap.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to the endpoints, gives each a request id, records metrics and turns every
 * failure into a JSON error. Routes: {@code POST /v1/inspect}, {@code GET /v1/model}, {@code
 * POST /v1/admin/reload}, {@code GET /healthz}, {@code GET /readyz}, {@code GET /metrics}; each
 * GET route also serves HEAD.
 */
final class ServiceHandler extends Handler.Abstract {

  private static final Logger log = LoggerFactory.getLogger(ServiceHandler.class);

  /**
   * Maximum pause between reads, in milliseconds, while the body of a rejected request is
   * drained. A client that is uploading sends more within it; one that waits for the response
   * gets it after this pause.
   */
  static final long DRAIN_IDLE_MILLIS = 2_000;

  /** Client request ids that are echoed back; anything else is replaced by a fresh one. */
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Path → allowed method. */
  private static final Map<String, String> ROUTES = Map.of(
      "/v1/inspect", "POST",
      "/v1/model", "GET",
      "/v1/admin/reload", "POST",
      "/healthz", "GET",
      "/readyz", "GET",
      "/metrics", "GET");

  private static final String RELOAD_BODY_HINT =
      "send {\"path\": \"/path/to/model.flawmap\"}, or an empty body or {} to reload the"
          + " current file";

  private final ModelHolder models;
  private final InspectionService inspections;
  private final Reloader reloader;
  private final ServiceMetrics metrics;
  private final ServiceLimits limits;
  private final boolean allowReload;

  ServiceHandler(
      ModelHolder models, InspectionService inspections, Reloader reloader,
      ServiceMetrics metrics, ServiceLimits limits, boolean allowReload) {
    super(InvocationType.BLOCKING);
    this.models = models;
    this.inspections = inspections;
    this.reloader = reloader;
    this.metrics = metrics;
    this.limits = limits;
    this.allowReload = allowReload;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long start = System.nanoTime();
    String requestId = requestId(request);
    response.getHeaders().put(Responses.REQUEST_ID_HEADER, requestId);
    String path = Request.getPathInContext(request);
    String endpoint = ROUTES.containsKey(path) ? path : "other";
    metrics.requestStarted();
    int status;
    try {
      status = route(request, response, callback, path, requestId, start);
    } catch (ApiException e) {
      status = e.status();
      metrics.error(e.code());
      logError(request, path, requestId, e);
      discardBody(request, response, e.status());
      Responses.error(response, callback, e, requestId);
    } catch (Exception | OutOfMemoryError e) {
      status = 500;
      metrics.error("internal_error");
      log.error("Request {} {} {} failed", requestId, request.getMethod(), path, e);
      discardBody(request, response, status);
      Responses.error(response, callback,
          new ApiException(500, "internal_error",
              "the server failed on this request (" + e + "); see its log for request id "
                  + requestId),
          requestId);
    }
    metrics.requestFinished(endpoint, status, System.nanoTime() - start);
    return true;
  }

  /**
   * Reads and drops the unread rest of a rejected request's body, so that closing the
   * connection does not reset it before the client has read the error response. A stalled
   * body, one over twice the body limit, or one that the client holds back until the server
   * replies to {@code Expect: 100-continue}, is not read: the connection closes after the response
   * instead. While draining, a pause of more than {@link #DRAIN_IDLE_MILLIS} between reads
   * stops it, so a client that sends the headers and then nothing gets its error at once
   * rather than after the request timeout.
   *
   * <p>NOTE: draining occupies a Jetty thread while a slow but steady client uploads, up to
   * twice the body limit, so many slow rejected uploads can delay new connections.
   */
  private void discardBody(Request request, Response response, int status) {
    boolean stalled = status == 408 || status == 411;
    // Reading would make Jetty send "100 Continue", which invites the upload being rejected.
    boolean heldBack = request.getHeaders().contains(HttpHeader.EXPECT, "100-continue");
    // A body over the limit by less than the limit again is still read, because closing on
    // unread bytes can reset the connection before the client reads the 413.
    long drainLimit = status == 413 ? 2 * limits.maxBodyBytes() : limits.maxBodyBytes();
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    boolean hopeless = declared > drainLimit;
    if (stalled || heldBack || hopeless || !drain(request, drainLimit)) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  /** Drains the rest of the body with the idle timeout lowered to {@link #DRAIN_IDLE_MILLIS}. */
  private static boolean drain(Request request, long drainLimit) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    long idle = endPoint.getIdleTimeout();
    endPoint.setIdleTimeout(idle > 0 ? Math.min(idle, DRAIN_IDLE_MILLIS) : DRAIN_IDLE_MILLIS);
    try {
      return RequestBody.discardRest(request, drainLimit);
    } finally {
      endPoint.setIdleTimeout(idle);
    }
  }

  private int route(
      Request request, Response response, Callback callback, String path, String requestId,
      long start) throws Exception {
    String allowed = ROUTES.get(path);
    if (allowed == null) {
      throw new ApiException(404, "not_found",
          "no endpoint at " + path + "; the endpoints are " + String.join(", ",
              new java.util.TreeSet<>(ROUTES.keySet())));
    }
    // HEAD is GET without a body, so load balancers and probes may use either; Jetty sends the
    // headers of a HEAD response and drops the body written for it.
    boolean head = request.getMethod().equals("HEAD") && allowed.equals("GET");
    if (!allowed.equals(request.getMethod()) && !head) {
      String allow = allowed.equals("GET") ? "GET, HEAD" : allowed;
      throw new ApiException(405, "method_not_allowed",
          "%s %s is not supported; use %s".formatted(request.getMethod(), path, allow),
          Map.of("Allow", allow), null);
    }
    switch (path) {
      case "/healthz" -> Responses.json(response, callback, 200, status("ok"));
      case "/readyz" -> readiness(response, callback);
      case "/metrics" -> Responses.bytes(
          response, callback, 200, ServiceMetrics.contentType(), metrics.scrape());
      case "/v1/model" -> model(response, callback);
      case "/v1/admin/reload" -> reload(request, response, callback);
      default -> inspect(request, response, callback, requestId, start);
    }
    return 200;
  }

  private void inspect(
      Request request, Response response, Callback callback, String requestId, long start)
      throws Exception {
    Set<String> include = includes(request);
    long deadline = start + limits.requestTimeout().toNanos();
    ConcurrencyLimiter.Permit permit = inspections.admit();
    RequestBody.Upload upload;
    try {
      upload = RequestBody.read(request, limits.maxBodyBytes(), deadline);
    } catch (ApiException | RuntimeException e) {
      permit.close();
      throw e;
    }
    ObjectNode result = inspections.inspect(requestId, upload, include, permit, deadline);
    log.debug("Request {} inspected: image score {}, {}", requestId,
        result.path("image_score").asDouble(), result.path("label").asText());
    Responses.json(response, callback, 200, result);
  }

  private static Set<String> includes(Request request) throws ApiException {
    Set<String> include = new LinkedHashSet<>();
    java.util.List<String> values = Request.extractQueryParameters(request).getValues("include");
    if (values == null) {
      return include;
    }
    for (String value : values) {
      for (String part : value.split(",")) {
        String name = part.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!InspectionJson.INCLUDES.contains(name)) {
          throw new ApiException(400, "invalid_parameter",
              "include=%s is unknown; use a comma-separated list of %s"
                  .formatted(name, String.join(", ", new java.util.TreeSet<>(
                      InspectionJson.INCLUDES))));
        }
        include.add(name);
      }
    }
    return include;
  }

  private void readiness(Response response, Callback callback) throws Exception {
    LoadedModel model = models.acquire();
    if (model == null) {
      throw InspectionService.notReady();
    }
    try {
      ObjectNode body = status("ready");
      body.set("model", InspectionJson.identity(model.identity()));
      body.put("free_inspection_slots", inspections.availableSlots());
      Responses.json(response, callback, 200, body);
    } finally {
      model.release();
    }
  }

  private void model(Response response, Callback callback) throws Exception {
    LoadedModel model = models.acquire();
    if (model == null) {
      throw InspectionService.notReady();
    }
    try {
      ObjectNode body = InspectionJson.identity(model.identity());
      body.put("pixel_threshold", model.calibration().pixelThreshold());
      body.put("image_threshold", model.calibration().imageThreshold());
      body.put("threshold_estimator", model.calibration().estimator());
      Responses.json(response, callback, 200, body);
    } finally {
      model.release();
    }
  }

  private void reload(Request request, Response response, Callback callback) throws Exception {
    if (!allowReload) {
      throw new ApiException(403, "reload_disabled",
          "reloading over HTTP is off; start flawmap serve with --allow-reload, or send SIGHUP"
              + " to the process to reload the same file");
    }
    byte[] body = Request.asInputStream(request).readNBytes(64 * 1024);
    Path file = reloadPath(body);
    ModelIdentity identity = reloader.reload(file, "HTTP");
    ObjectNode out = status("reloaded");
    out.set("model", InspectionJson.identity(identity));
    Responses.json(response, callback, 200, out);
  }

  /**
   * Returns the file that a reload body names, or null for an empty body or {@code {}}, which
   * reload the current file. Anything else that names no file is rejected, so that a typo such
   * as {@code {"pth": ...}} does not silently reload the current file.
   */
  static Path reloadPath(byte[] body) throws ApiException {
    if (body.length == 0) {
      return null;
    }
    JsonNode json;
    try {
      json = InspectionJson.JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ApiException(400, "invalid_json",
          "the reload body is not JSON (" + e.getOriginalMessage()
              + "); " + RELOAD_BODY_HINT);
    } catch (java.io.IOException e) {
      // Jackson reads from a byte array here, so this is not an I/O failure but a parse error.
      throw new ApiException(400, "invalid_json",
          "the reload body cannot be parsed (" + e.getMessage() + "); " + RELOAD_BODY_HINT);
    }
    if (json == null || json.isMissingNode()) {
      return null;
    }
    if (!json.isObject()) {
      throw new ApiException(400, "invalid_request",
          "the reload body is a JSON " + json.getNodeType().toString().toLowerCase(
              java.util.Locale.ROOT) + ", not an object; " + RELOAD_BODY_HINT);
    }
    java.util.List<String> unknown = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(name -> {
      if (!name.equals("path")) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw new ApiException(400, "invalid_request",
          "the reload body has unknown keys " + unknown + "; the only key is \"path\". "
              + RELOAD_BODY_HINT);
    }
    JsonNode path = json.get("path");
    if (path == null) {
      return null;
    }
    if (!path.isTextual() || path.asText().isBlank()) {
      throw new ApiException(400, "invalid_request",
          "the reload body's \"path\" is " + path + ", not a file path string; "
              + RELOAD_BODY_HINT);
    }
    try {
      return Path.of(path.asText());
    } catch (java.nio.file.InvalidPathException e) {
      throw new ApiException(400, "invalid_request",
          "the reload body's \"path\" " + path + " is not a valid file path ("
              + e.getReason() + "); " + RELOAD_BODY_HINT);
    }
  }

  private static ObjectNode status(String value) {
    ObjectNode out = InspectionJson.JSON.createObjectNode();
    out.put("status", value);
    return out;
  }

  private static String requestId(Request request) {
    String clientId = request.getHeaders().get(Responses.REQUEST_ID_HEADER);
    if (clientId != null && CLIENT_ID.matcher(clientId).matches()) {
      return clientId;
    }
    return newRequestId();
  }

  /** Returns a fresh request id: 16 hex digits. */
  static String newRequestId() {
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }

  private static void logError(Request request, String path, String requestId, ApiException e) {
    if (e.status() >= 500) {
      log.warn("Request {} {} {} failed with {} {}: {}", requestId, request.getMethod(), path,
          e.status(), e.code(), e.getMessage(), e.getCause());
    } else {
      log.info("Request {} {} {} rejected with {} {}: {}", requestId, request.getMethod(), path,
          e.status(), e.code(), e.getMessage());
    }
  }
}
