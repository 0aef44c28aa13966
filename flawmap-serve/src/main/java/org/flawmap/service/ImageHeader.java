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
 * before its pixels are allocated. The ImageIO reader parses the PNG IHDR chunk for {@code
 * getWidth(0)} without decoding pixel data. BMP sizes are read here from the info header,
 * because ImageIO's BMP reader did not return a size for a header without its pixel data, so an
 * oversized BMP passed the pixel limit and was reported as truncated instead. JPEG sizes are
 * read here from the start of frame, because JDK 17's JPEG reader rejects a frame over 65,500
 * pixels a side as an error, which made a 65,535 × 65,535 JPEG a corrupt image, not an
 * oversized one.
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
    if (format.get() == ImageFormat.JPEG) {
      return jpegSize(data);
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

  /**
   * Reads the size from a JPEG's start of frame (ITU T.81, section B.2.2): after SOI, each marker
   * segment is 0xFF, a marker byte and a big-endian length that counts itself. In a SOF segment
   * (markers 0xC0 to 0xCF, except 0xC4 DHT, 0xC8 JPG and 0xCC DAC) the height follows the
   * precision byte as uint16 and the width after it. Returns empty when no SOF comes before the
   * scan, or its size is 0, so that the decoder reports the file's problem.
   */
  static Optional<Size> jpegSize(byte[] data) {
    int pos = 2;
    while (pos + 4 <= data.length) {
      if (data[pos] != (byte) 0xFF) {
        return Optional.empty();
      }
      int marker = data[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        // Fill bytes may precede a marker.
        pos++;
        continue;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        // TEM, RSTn and SOI stand alone, without a length.
        pos += 2;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return Optional.empty();
      }
      int length = uint16(data, pos + 2);
      boolean frame = marker >= 0xC0 && marker <= 0xCF
          && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame) {
        if (length < 7 || pos + 9 > data.length) {
          return Optional.empty();
        }
        int height = uint16(data, pos + 5);
        int width = uint16(data, pos + 7);
        if (width == 0 || height == 0) {
          return Optional.empty();
        }
        return Optional.of(new Size(ImageFormat.JPEG, width, height));
      }
      if (length < 2) {
        return Optional.empty();
      }
      pos += 2 + length;
    }
    return Optional.empty();
  }

  private static int uint16(byte[] data, int pos) {
    return (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
  }
}
