package org.flawmap.image;

/**
 * A decoded 8-bit RGB image, interleaved row-major: {@code rgb[3 * (y * width + x) + c]}.
 * Grayscale sources have equal channels; 16-bit sources keep their top 8 bits.
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
      throw new IllegalArgumentException(
          "RGB image of %d×%d needs %d bytes, found %d"
              .formatted(width, height, 3 * width * height, rgb.length));
    }
  }
}
