package org.flawmap.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.flawmap.image.ImageFormat;

/**
 * Reads an image's width and height from its header only, so that an enormous image is rejected
 * before its pixels are allocated. ImageIO readers parse the PNG IHDR chunk and the JPEG start of
 * frame for {@code getWidth(0)} without decoding pixel data. BMP sizes are read here from the
 * info header, because ImageIO's BMP reader did not return a size for a header without its pixel
 * data, so an oversized BMP passed the pixel limit and was reported as truncated instead.
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
    if (format.get() == ImageFormat.BMP) {
      return bmpSize(data);
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

  /**
   * Reads the size from a BMP info header: after the 14-byte file header comes the header size
   * (int32 little-endian), then for BITMAPCOREHEADER (12 bytes) int16 width and height at
   * offsets 18 and 20, and for BITMAPINFOHEADER and its successors (40 bytes or more) int32
   * width and height at offsets 18 and 22. A negative height marks a top-down bitmap.
   */
  static Optional<Size> bmpSize(byte[] data) {
    if (data.length < 26) {
      return Optional.empty();
    }
    ByteBuffer header = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int headerSize = header.getInt(14);
    long width;
    long height;
    if (headerSize == 12) {
      width = header.getShort(18) & 0xFFFF;
      height = header.getShort(20) & 0xFFFF;
    } else if (headerSize >= 40) {
      width = header.getInt(18);
      height = Math.abs((long) header.getInt(22));
    } else {
      return Optional.empty();
    }
    if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      // The decoder reports an invalid size as a corrupt image.
      return Optional.empty();
    }
    return Optional.of(new Size(ImageFormat.BMP, (int) width, (int) height));
  }
}
