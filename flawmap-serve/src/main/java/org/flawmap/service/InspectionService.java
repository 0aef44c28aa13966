package org.flawmap.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.ImageFormat;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.Inspection;

/**
 * Checks, decodes and inspects one uploaded image under the service's limits. The HTTP layer
 * hands it the upload; everything here is independent of the transport.
 */
final class InspectionService implements AutoCloseable {

  private final ModelHolder models;
  private final ServiceLimits limits;
  private final ServiceMetrics metrics;
  private final ConcurrencyLimiter limiter;
  private final ExecutorService workers;

  InspectionService(ModelHolder models, ServiceLimits limits, ServiceMetrics metrics) {
    this.models = models;
    this.limits = limits;
    this.metrics = metrics;
    this.limiter = new ConcurrencyLimiter(limits.maxConcurrent(), limits.retryAfterSeconds());
    // The queue never holds more than maxConcurrent tasks, because each task needs a permit.
    this.workers = new ThreadPoolExecutor(
        limits.maxConcurrent(), limits.maxConcurrent(), 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "flawmap-inspect");
          t.setDaemon(true);
          return t;
        });
  }

  /** Takes an inspection slot, which {@link #inspect} then owns and releases. */
  ConcurrencyLimiter.Permit admit() throws ApiException {
    return limiter.acquire();
  }

  /**
   * Inspects {@code upload} with the current model. The permit passes to the worker, which
   * releases it when the inspection ends, even after the request timed out, so that timed-out
   * work still counts against {@link ServiceLimits#maxConcurrent}.
   */
  ObjectNode inspect(
      String requestId, RequestBody.Upload upload, Set<String> include,
      ConcurrencyLimiter.Permit permit, long deadlineNanos) throws ApiException {
    LoadedModel model = models.acquire();
    if (model == null) {
      permit.close();
      throw notReady();
    }
    Future<ObjectNode> result;
    try {
      result = workers.submit(() -> {
        try (permit) {
          return inspectWith(model, requestId, upload, include);
        } finally {
          model.release();
        }
      });
    } catch (RuntimeException e) {
      model.release();
      permit.close();
      throw e;
    }
    return await(result, deadlineNanos);
  }

  private ObjectNode inspectWith(
      LoadedModel model, String requestId, RequestBody.Upload upload, Set<String> include)
      throws Exception {
    RgbImage image = decode(upload, requestId);
    Inspection inspection = model.inspect(image);
    metrics.inspected(inspection.anomalous());
    return InspectionJson.inspection(requestId, model, image, inspection, include);
  }

  /** Checks the header's size against the pixel limit, then decodes with ImageDecoder. */
  private RgbImage decode(RequestBody.Upload upload, String requestId) throws ApiException {
    byte[] bytes = upload.bytes();
    if (bytes.length == 0) {
      throw new ApiException(400, "empty_body",
          "the request body is empty; send the image bytes as the body");
    }
    var header = ImageHeader.probe(bytes);
    if (header.isPresent()) {
      ImageFormat actual = header.get().format();
      if (upload.declared().isPresent() && upload.declared().get() != actual) {
        throw new ApiException(415, "content_type_mismatch",
            ("the Content-Type declares %s but the bytes are %s; send the matching"
                + " Content-Type or application/octet-stream")
                .formatted(upload.declared().get(), actual));
      }
      if (header.get().pixels() > limits.maxPixels()) {
        throw new ApiException(413, "image_too_large",
            ("the image is %d × %d = %d pixels, over the limit of %d pixels; downscale it or"
                + " raise --max-pixels").formatted(header.get().width(), header.get().height(),
                header.get().pixels(), limits.maxPixels()));
      }
    }
    try {
      // The name stands for the file in decoder messages: "image in request ID is truncated".
      return ImageDecoder.decode(bytes, Path.of("in request " + requestId));
    } catch (ImageDecodeException e) {
      throw decodeError(e);
    }
  }

  private static ApiException decodeError(ImageDecodeException e) {
    return switch (e.problem()) {
      case NOT_AN_IMAGE -> new ApiException(400, "not_an_image",
          e.getMessage() + "; send a PNG, JPEG or BMP file", Map.of(), e);
      case UNSUPPORTED_FORMAT -> new ApiException(415, "unsupported_image_format",
          e.getMessage(), Map.of(), e);
      case TRUNCATED -> new ApiException(422, "truncated_image",
          e.getMessage() + "; send the whole file", Map.of(), e);
      case CORRUPT, READ_FAILED -> new ApiException(422, "corrupt_image",
          e.getMessage() + "; check the file, or save it again", Map.of(), e);
    };
  }

  private ObjectNode await(Future<ObjectNode> result, long deadlineNanos) throws ApiException {
    try {
      return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ApiException(503, "timed_out",
          "the inspection did not finish within --request-timeout of %d ms; retry later, send a"
              .formatted(limits.requestTimeout().toMillis())
              + " smaller image, or raise --request-timeout",
          Map.of("Retry-After", Integer.toString(limits.retryAfterSeconds())), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "the server is shutting down; retry later");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api) {
        throw api;
      }
      if (e.getCause() instanceof OutOfMemoryError) {
        throw new ApiException(503, "out_of_memory",
            "the server ran out of memory inspecting this image; send a smaller image, lower"
                + " --max-pixels or raise the heap with FLAWMAP_JAVA_OPTS=-Xmx8g",
            Map.of("Retry-After", Integer.toString(limits.retryAfterSeconds())), e.getCause());
      }
      throw new ApiException(500, "internal_error",
          "the inspection failed: " + e.getCause() + "; see the server log for this request id",
          Map.of(), e.getCause());
    }
  }

  static ApiException notReady() {
    return new ApiException(503, "model_not_ready",
        "no model is loaded; wait for the service to finish loading or check its log",
        Map.of("Retry-After", "1"), null);
  }

  int availableSlots() {
    return limiter.available();
  }

  @Override
  public void close() {
    workers.shutdown();
  }
}
