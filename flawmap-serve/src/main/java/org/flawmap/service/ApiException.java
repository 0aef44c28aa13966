package org.flawmap.service;

import java.util.Map;

/**
 * A request that fails with an HTTP status and a JSON error body {@code {"error": code,
 * "message": text, "request_id": id}}.
 */
public final class ApiException extends Exception {

  private final int status;
  private final String code;
  private final Map<String, String> headers;

  /**
   * @param status HTTP status, 4xx or 5xx
   * @param code stable machine-readable error code, for example {@code body_too_large}
   * @param message what is wrong and what to do, for people
   */
  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of(), null);
  }

  public ApiException(
      int status, String code, String message, Map<String, String> headers, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Extra response headers, for example {@code Retry-After} or {@code Allow}. */
  public Map<String, String> headers() {
    return headers;
  }
}
