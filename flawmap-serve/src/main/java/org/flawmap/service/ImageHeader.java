package org.flawmap.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.flawmap.image.ImageFormat;

/**
 * Reads an image's width and height from its header only, so that an enormous image is rejected
 * before its pixels are allocated. ImageIO readers parse the PNG IHDR chunk, the JPEG start of
 * frame and the BMP info header for {@code getWidth(0)} without decoding pixel data.
 */
final class ImageHeader {

  /** Image size in pixels, from the header. */
  record Size(ImageFormat format, int width, int height) {
    long pixels() {
      return (long) width * height;
    }
  }

  private ImageHeader() {}

  /**
   * Returns the format and size, or empty when the bytes match no supported format or the header
   * cannot be read; {@link org.flawmap.image.ImageDecoder} then reports the exact problem.
   */
  static Optional<Size> probe(byte[] data) {
    Optional<ImageFormat> format = ImageFormat.fromSignature(data, data.length);
    if (format.isEmpty()) {
      return Optional.empty();
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.get().name());
    if (!readers.hasNext()) {
      return Optional.empty();
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      return Optional.of(new Size(format.get(), reader.getWidth(0), reader.getHeight(0)));
    } catch (IOException | RuntimeException e) {
      // The decoder raises the precise error (truncated, corrupt) for the same bytes.
      return Optional.empty();
    } finally {
      reader.dispose();
    }
  }
}
