package org.flawmap.service;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the JSON error body for errors that Jetty raises before a request reaches {@link
 * ServiceHandler}, such as a malformed request line or oversized headers, and counts them in the
 * metrics under the endpoint {@value #ENDPOINT}.
 */
final class JsonErrorHandler extends ErrorHandler {

  /** Endpoint label of requests that Jetty rejects before routing. */
  static final String ENDPOINT = "http_layer";

  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

  private final ServiceMetrics metrics;

  JsonErrorHandler(ServiceMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    int status = response.getStatus() > 0 ? response.getStatus() : 500;
    Object attribute = request.getAttribute(ERROR_STATUS);
    if (attribute instanceof Integer code) {
      status = code;
    }
    Object message = request.getAttribute(ERROR_MESSAGE);
    String reason = HttpStatus.getMessage(status);
    String requestId = response.getHeaders().get(Responses.REQUEST_ID_HEADER);
    if (requestId == null) {
      requestId = ServiceHandler.newRequestId();
      response.getHeaders().put(Responses.REQUEST_ID_HEADER, requestId);
    }
    // Jetty 12.1.14 calls a request it could not parse "BAD /badMessage", a method and path that
    // the client never sent, so the log names it as unparsable instead.
    String target = request.getMethod() + " " + request.getHttpURI().getPath();
    if (target.equals("BAD /badMessage")) {
      target = "(unparsable request)";
    }
    log.info("Request {} {} rejected by the HTTP layer with {}: {}", requestId, target, status,
        message);
    // Jetty's message is often the reason phrase itself, which would then read twice.
    boolean detail = message != null && !message.toString().equals(reason);
    String text = "the HTTP request was rejected: " + reason
        + (detail ? " (" + message + ")" : "")
        + "; check the request line, headers and body framing";
    metrics.rejected(ENDPOINT, status, "http_" + status);
    Responses.json(response, callback, status,
        InspectionJson.error("http_" + status, text, requestId));
    return true;
  }
}
