package org.flawmap.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes complete responses: JSON bodies, JSON errors and plain text. */
final class Responses {

  static final String JSON_TYPE = "application/json";
  static final String REQUEST_ID_HEADER = "X-Request-Id";

  private Responses() {}

  static void json(Response response, Callback callback, int status, JsonNode body)
      throws JsonProcessingException {
    bytes(response, callback, status, JSON_TYPE, InspectionJson.JSON.writeValueAsBytes(body));
  }

  static void error(Response response, Callback callback, ApiException e, String requestId)
      throws JsonProcessingException {
    for (Map.Entry<String, String> header : e.headers().entrySet()) {
      response.getHeaders().put(header.getKey(), header.getValue());
    }
    json(response, callback, e.status(),
        InspectionJson.error(e.code(), e.getMessage(), requestId));
  }

  static void bytes(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
