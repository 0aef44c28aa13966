package org.flawmap.service;

import java.time.Duration;

/**
 * Limits that keep one request, or many, from exhausting the service.
 *
 * @param maxBodyBytes largest request body accepted, in bytes
 * @param maxPixels largest image accepted, in pixels (width × height), checked from the image
 *     header before the image is decoded
 * @param requestTimeout longest time from the start of a request to its response, covering the
 *     body upload and the inspection
 * @param maxConcurrent inspections in progress at once; further requests get 503
 * @param retryAfterSeconds value of the {@code Retry-After} header sent with a 503
 */
public record ServiceLimits(
    long maxBodyBytes, long maxPixels, Duration requestTimeout, int maxConcurrent,
    int retryAfterSeconds) {

  /** 32 MiB bodies, 50 megapixels, 30 s per request, 4 inspections at once, retry after 1 s. */
  public static final ServiceLimits DEFAULTS =
      new ServiceLimits(32L << 20, 50_000_000L, Duration.ofSeconds(30), 4, 1);

  public ServiceLimits {
    if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "--max-body-bytes must be between 1 and 2^31 - 9 bytes, found " + maxBodyBytes);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("--max-pixels must be at least 1, found " + maxPixels);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "--request-timeout must be positive, found " + requestTimeout);
    }
    if (maxConcurrent < 1 || maxConcurrent > 1024) {
      throw new IllegalArgumentException(
          "--max-concurrent must be between 1 and 1024 requests, found " + maxConcurrent);
    }
    if (retryAfterSeconds < 1) {
      throw new IllegalArgumentException(
          "Retry-After must be at least 1 second, found " + retryAfterSeconds);
    }
  }

  public ServiceLimits withMaxConcurrent(int value) {
    return new ServiceLimits(maxBodyBytes, maxPixels, requestTimeout, value, retryAfterSeconds);
  }

  public ServiceLimits withMaxBodyBytes(long value) {
    return new ServiceLimits(value, maxPixels, requestTimeout, maxConcurrent, retryAfterSeconds);
  }

  public ServiceLimits withMaxPixels(long value) {
    return new ServiceLimits(maxBodyBytes, value, requestTimeout, maxConcurrent, retryAfterSeconds);
  }

  public ServiceLimits withRequestTimeout(Duration value) {
    return new ServiceLimits(maxBodyBytes, maxPixels, value, maxConcurrent, retryAfterSeconds);
  }
}
