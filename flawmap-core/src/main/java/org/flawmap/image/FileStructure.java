package org.flawmap.image;

import java.util.zip.CRC32;

/**
 * Structure checks that run on the whole file before decoding. ImageIO (JDK 17) decodes a PNG
 * that lacks its IEND chunk without any warning, and fills the missing part of a truncated JPEG
 * with gray after only a warning, so these checks find truncation from the file layout itself.
 */
final class FileStructure {

  private FileStructure() {}

  /** A structural problem: {@link ImageDecodeException.Problem} plus a detail for the message. */
  record Defect(ImageDecodeException.Problem problem, String detail) {}

  /** Returns the first structural defect of the file, or null when its structure is complete. */
  static Defect check(ImageFormat format, byte[] data) {
    return switch (format) {
      case PNG -> checkPng(data);
      case JPEG -> checkJpeg(data);
      case BMP -> checkBmp(data);
    };
  }

  /**
   * Walks the PNG chunks (4-byte length, 4-byte type, data, 4-byte CRC-32 of type and data) from
   * the signature up to IEND, verifying each CRC. Bytes after IEND are ignored.
   */
  static Defect checkPng(byte[] data) {
    int pos = ImageFormat.SIGNATURE_LENGTH;
    CRC32 crc = new CRC32();
    while (true) {
      if (pos + 8 > data.length) {
        return truncated("the file ends at byte %d before the IEND chunk".formatted(data.length));
      }
      long length = readInt32(data, pos) & 0xFFFFFFFFL;
      String type = new String(data, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
      if (length > Integer.MAX_VALUE) {
        return corrupt("chunk %s at byte %d has invalid length %d".formatted(type, pos, length));
      }
      long end = pos + 8L + length + 4L;
      if (end > data.length) {
        return truncated(
            "chunk %s at byte %d needs %d bytes, the file has %d"
                .formatted(type, pos, end, data.length));
      }
      crc.reset();
      crc.update(data, pos + 4, 4 + (int) length);
      long stored = readInt32(data, pos + 8 + (int) length) & 0xFFFFFFFFL;
      if (crc.getValue() != stored) {
        return corrupt("chunk %s at byte %d has a wrong CRC".formatted(type, pos));
      }
      if (type.equals("IEND")) {
        return null;
      }
      pos = (int) end;
    }
  }

  /**
   * Walks the JPEG markers from SOI and skips each segment by its 2-byte length. After a start
   * of scan (SOS), the entropy-coded data runs up to the next marker that is neither a stuffed
   * zero byte nor a restart marker. The file is complete once EOI is found, and bytes after EOI
   * are ignored.
   */
  static Defect checkJpeg(byte[] data) {
    int pos = 2;
    while (true) {
      while (pos < data.length && data[pos] != (byte) 0xFF) {
        pos++;
      }
      while (pos < data.length && data[pos] == (byte) 0xFF) {
        pos++;
      }
      if (pos >= data.length) {
        return truncated("no end-of-image (EOI) marker before the end of the file");
      }
      int marker = data[pos] & 0xFF;
      pos++;
      if (marker == 0xD9) {
        return null;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue;
      }
      if (pos + 2 > data.length) {
        return truncated("the file ends inside marker 0xFF%02X".formatted(marker));
      }
      int length = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
      if (length < 2) {
        return corrupt("marker 0xFF%02X at byte %d has invalid length %d".formatted(
            marker, pos - 2, length));
      }
      pos += length;
      if (pos > data.length) {
        return truncated("the file ends inside segment 0xFF%02X".formatted(marker));
      }
      if (marker == 0xDA) {
        pos = skipEntropyCodedData(data, pos);
      }
    }
  }

  /** Returns the index of the 0xFF that starts the first real marker at or after {@code pos}. */
  private static int skipEntropyCodedData(byte[] data, int pos) {
    while (pos + 1 < data.length) {
      if (data[pos] != (byte) 0xFF) {
        pos++;
        continue;
      }
      int next = data[pos + 1] & 0xFF;
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
        pos++;
        continue;
      }
      return pos;
    }
    return data.length;
  }

  /**
   * Checks that an uncompressed or bit-field BMP contains all its pixel rows: the pixel data
   * starts at the offset in the file header and has {@code |height|} rows of
   * {@code ceil(width * bitsPerPixel / 32) * 4} bytes. Run-length encoded BMPs have no fixed size,
   * so only their header offset is checked and the decoder finds truncation.
   */
  static Defect checkBmp(byte[] data) {
    if (data.length < 26) {
      return truncated("the %d-byte file is shorter than a BMP header".formatted(data.length));
    }

    long pixelOffset = readInt32Le(data, 10) & 0xFFFFFFFFL;
    int headerSize = readInt32Le(data, 14);
    long width;
    long height;
    int bitsPerPixel;
    int compression = 0;
    if (headerSize == 12) {
      width = readUint16Le(data, 18);
      height = readUint16Le(data, 20);
      bitsPerPixel = readUint16Le(data, 24);
    } else if (headerSize >= 40 && data.length >= 14 + 40) {
      width = readInt32Le(data, 18);
      height = readInt32Le(data, 22);
      bitsPerPixel = readUint16Le(data, 28);
      compression = readInt32Le(data, 30);
    } else if (headerSize >= 40) {
      return truncated("the file ends inside the %d-byte BMP header".formatted(headerSize));
    } else {
      return corrupt("invalid BMP header size %d".formatted(headerSize));
    }

    if (pixelOffset > data.length) {
      return truncated("pixel data starts at byte %d, the file has %d bytes"
          .formatted(pixelOffset, data.length));
    }
    boolean uncompressed = compression == 0 || compression == 3 || compression == 6;
    if (!uncompressed || width <= 0 || bitsPerPixel <= 0) {
      return null;
    }

    long rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
    long needed = pixelOffset + rowBytes * Math.abs(height);
    if (needed > data.length) {
      return truncated(
          "%d×%d pixels at %d bits need %d bytes, the file has %d"
              .formatted(width, Math.abs(height), bitsPerPixel, needed, data.length));
    }
    return null;
  }

  private static Defect truncated(String detail) {
    return new Defect(ImageDecodeException.Problem.TRUNCATED, detail);
  }

  private static Defect corrupt(String detail) {
    return new Defect(ImageDecodeException.Problem.CORRUPT, detail);
  }

  private static int readInt32(byte[] data, int pos) {
    return ((data[pos] & 0xFF) << 24)
        | ((data[pos + 1] & 0xFF) << 16)
        | ((data[pos + 2] & 0xFF) << 8)
        | (data[pos + 3] & 0xFF);
  }

  private static int readInt32Le(byte[] data, int pos) {
    return (data[pos] & 0xFF)
        | ((data[pos + 1] & 0xFF) << 8)
        | ((data[pos + 2] & 0xFF) << 16)
        | ((data[pos + 3] & 0xFF) << 24);
  }

  private static int readUint16Le(byte[] data, int pos) {
    return (data[pos] & 0xFF) | ((data[pos + 1] & 0xFF) << 8);
  }
}
