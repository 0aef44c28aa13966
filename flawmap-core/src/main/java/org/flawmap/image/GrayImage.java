package org.flawmap.image;

/**
 * An 8-bit single-channel image, row-major: {@code values[y * width + x]}, read unsigned as
 * 0..255. {@link ImageDecoder#decodeMaskValues} returns mask files in this form.
 */
public record GrayImage(int width, int height, byte[] values) {

  public GrayImage {
    if (width <= 0 || height <= 0 || values.length != width * height) {
      throw new IllegalArgumentException(
          "gray image of %d×%d needs %d values, found %d"
              .formatted(width, height, width * height, values.length));
    }
  }

  /** Returns the value at column {@code x}, row {@code y}, in 0..255. */
  public int get(int x, int y) {
    return values[y * width + x] & 0xFF;
  }
}
