package org.flawmap.image;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Image file formats that {@link ImageDecoder} reads, recognised by their leading bytes. */
public enum ImageFormat {
  PNG(List.of("png")),
  JPEG(List.of("jpg", "jpeg")),
  BMP(List.of("bmp"));

  /** Number of leading bytes that {@link #fromSignature} needs to tell every format apart. */
  public static final int SIGNATURE_LENGTH = 8;

  private static final byte[] PNG_SIGNATURE = {
    (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
  };

  private final List<String> extensions;

  ImageFormat(List<String> extensions) {
    this.extensions = extensions;
  }

  /** File name extensions of this format, lower case and without the dot. */
  public List<String> extensions() {
    return extensions;
  }

  /** Returns the format whose extension list contains {@code extension}, ignoring case. */
  public static Optional<ImageFormat> fromExtension(String extension) {
    String lower = extension.toLowerCase(Locale.ROOT);
    for (ImageFormat format : values()) {
      if (format.extensions.contains(lower)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /** Returns the format of a file name from its extension, ignoring case. */
  public static Optional<ImageFormat> fromFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot <= 0 || dot == fileName.length() - 1) {
      return Optional.empty();
    }
    return fromExtension(fileName.substring(dot + 1));
  }

  /**
   * Recognises a format from the first bytes of a file.
   *
   * @param head the first bytes of the file; fewer than {@link #SIGNATURE_LENGTH} is allowed
   * @param length number of valid bytes in {@code head}
   */
  public static Optional<ImageFormat> fromSignature(byte[] head, int length) {
    if (length >= PNG_SIGNATURE.length && startsWith(head, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    if (length >= 3
        && head[0] == (byte) 0xFF
        && head[1] == (byte) 0xD8
        && head[2] == (byte) 0xFF) {
      return Optional.of(JPEG);
    }
    if (length >= 2 && head[0] == 'B' && head[1] == 'M') {
      return Optional.of(BMP);
    }
    return Optional.empty();
  }

  /**
   * Names a well-known format that is not supported, for error messages, or returns empty when
   * the bytes match none of GIF, TIFF and WebP.
   */
  static Optional<String> describeUnsupported(byte[] head, int length) {
    if (length >= 4 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8') {
      return Optional.of("GIF");
    }
    boolean littleTiff = length >= 4 && head[0] == 'I' && head[1] == 'I' && head[2] == 42;
    boolean bigTiff = length >= 4 && head[0] == 'M' && head[1] == 'M' && head[3] == 42;
    if (littleTiff || bigTiff) {
      return Optional.of("TIFF");
    }
    if (length >= 12
        && head[0] == 'R'
        && head[1] == 'I'
        && head[2] == 'F'
        && head[3] == 'F'
        && head[8] == 'W'
        && head[9] == 'E'
        && head[10] == 'B'
        && head[11] == 'P') {
      return Optional.of("WebP");
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
