package org.flawmap.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Request;
import org.flawmap.image.ImageFormat;

/**
 * Reads the image of an inspection request: the raw body with an image content type, or the
 * {@code image} field of a {@code multipart/form-data} body. Sizes are checked while reading,
 * so a body over the limit is never held in memory whole.
 */
final class RequestBody {

  /** Multipart form field that carries the image. */
  static final String FIELD = "image";

  /** The uploaded image bytes and the format that the client declared, if any. */
  record Upload(byte[] bytes, Optional<ImageFormat> declared) {}

  private RequestBody() {}

  /**
   * Reads the image of {@code request}.
   *
   * @param deadlineNanos {@link System#nanoTime} value after which reading stops with 408
   */
  static Upload read(Request request, long maxBytes, long deadlineNanos) throws ApiException {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    long length = request.getLength();
    if (length > maxBytes) {
      throw tooLarge(Long.toString(length), maxBytes);
    }
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (length < 0 && !chunked) {
      throw new ApiException(411, "length_required",
          "the request has neither Content-Length nor chunked Transfer-Encoding; send the image"
              + " as the body with its Content-Length");
    }
    if (contentType == null) {
      throw new ApiException(415, "unsupported_media_type",
          "the request has no Content-Type; send the image with Content-Type image/png,"
              + " image/jpeg or image/bmp, or as the '" + FIELD + "' field of multipart/form-data");
    }
    String mime = mediaType(contentType);

    if (mime.equals("multipart/form-data")) {
      byte[] body = readLimited(Request.asInputStream(request), maxBytes, deadlineNanos);
      return fromMultipart(contentType, body, maxBytes);
    }
    Optional<ImageFormat> declared = declaredFormat(mime);
    byte[] body = readLimited(Request.asInputStream(request), maxBytes, deadlineNanos);
    return new Upload(body, declared);
  }

  /**
   * Maps a content type to the format it declares: empty for {@code application/octet-stream},
   * whose format comes from the bytes; 415 for types the decoder cannot read.
   */
  static Optional<ImageFormat> declaredFormat(String mime) throws ApiException {
    switch (mime) {
      case "image/png":
        return Optional.of(ImageFormat.PNG);
      case "image/jpeg":
      case "image/jpg":
        return Optional.of(ImageFormat.JPEG);
      case "image/bmp":
      case "image/x-bmp":
      case "image/x-ms-bmp":
        return Optional.of(ImageFormat.BMP);
      case "application/octet-stream":
        return Optional.empty();
      default:
        throw new ApiException(415, "unsupported_media_type",
            ("Content-Type %s is not supported; send PNG, JPEG or BMP as image/png, image/jpeg,"
                    + " image/bmp or application/octet-stream (TIFF, GIF and WebP: convert to"
                    + " PNG first), or as the '%s' field of multipart/form-data")
                .formatted(mime, FIELD));
    }
  }

  /** Returns the media type of a Content-Type value, lower case, without its parameters. */
  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  private static Upload fromMultipart(String contentType, byte[] body, long maxBytes)
      throws ApiException {
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw new ApiException(400, "invalid_multipart",
          "multipart/form-data without a boundary parameter; let the HTTP client build the"
              + " Content-Type, for example curl -F image=@file.png");
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxLength(maxBytes);
    parser.setMaxMemoryFileSize(maxBytes);
    parser.setMaxParts(16);
    try (MultiPartFormData.Parts parts =
        parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body))).get()) {
      java.util.List<MultiPart.Part> images = parts.getAll(FIELD);
      if (images.isEmpty()) {
        throw new ApiException(400, "missing_field",
            "the multipart form has no '" + FIELD + "' field; send the image as -F "
                + FIELD + "=@file.png");
      }
      // One request inspects one image, so a second image field is an error, not ignored.
      if (images.size() > 1) {
        throw new ApiException(400, "duplicate_field",
            ("the multipart form has %d '%s' fields; send one image per request as -F"
                + " %s=@file.png").formatted(images.size(), FIELD, FIELD));
      }
      MultiPart.Part part = images.get(0);
      String partType = part.getHeaders().get(HttpHeader.CONTENT_TYPE);
      Optional<ImageFormat> declared = Optional.empty();
      if (partType != null) {
        declared = declaredFormat(mediaType(partType));
      }
      byte[] image;
      try (InputStream in = Content.Source.asInputStream(part.createContentSource())) {
        image = in.readAllBytes();
      }
      if (image.length == 0) {
        throw new ApiException(400, "empty_field",
            "the multipart '" + FIELD + "' field is empty; send the image file in it as -F "
                + FIELD + "=@file.png, and check that the file is not empty");
      }
      return new Upload(image, declared);
    } catch (ExecutionException e) {
      throw new ApiException(400, "invalid_multipart",
          "the multipart/form-data body cannot be parsed (" + e.getCause().getMessage()
              + "); send the image as -F " + FIELD + "=@file.png", java.util.Map.of(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "the server is shutting down; retry later");
    } catch (IOException e) {
      throw new ApiException(400, "invalid_multipart",
          "the multipart image field cannot be read: " + e.getMessage());
    }
  }

  /**
   * Reads and drops what is left of the body, up to {@code maxBytes}; returns false when more
   * was left or the read failed, in which case the connection must close.
   */
  static boolean discardRest(Request request, long maxBytes) {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try {
      InputStream in = Request.asInputStream(request);
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > maxBytes) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads at most {@code maxBytes}; one byte more is a 413, a passed deadline a 408. */
  private static byte[] readLimited(InputStream in, long maxBytes, long deadlineNanos)
      throws ApiException {
    byte[] buffer = new byte[64 * 1024];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + (long) n > maxBytes) {
          throw tooLarge("more than " + maxBytes, maxBytes);
        }
        out.write(buffer, 0, n);
        if (System.nanoTime() > deadlineNanos) {
          throw uploadTimedOut(null);
        }
      }
    } catch (IOException e) {
      if (isTimeout(e)) {
        throw uploadTimedOut(e);
      }
      throw new ApiException(400, "body_read_failed",
          "the request body cannot be read (" + e.getMessage() + "); send it again");
    }
    return out.toByteArray();
  }

  /** Returns whether Jetty's idle timeout ended the read: Jetty fails it with TimeoutException. */
  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static ApiException uploadTimedOut(Throwable cause) {
    return new ApiException(408, "request_timeout",
        "the body upload did not finish within --request-timeout; send the whole body at once,"
            + " send a smaller image, or raise --request-timeout",
        java.util.Map.of(), cause);
  }

  private static ApiException tooLarge(String size, long maxBytes) {
    return new ApiException(413, "body_too_large",
        ("the body has %s bytes, over the limit of %d bytes; send a smaller image or raise"
            + " --max-body-bytes").formatted(size, maxBytes));
  }
}
