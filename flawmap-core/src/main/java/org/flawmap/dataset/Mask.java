package org.flawmap.dataset;

/**
 * A binary ground-truth mask, row-major: {@code pixels[y * width + x]} is true on a defect.
 */
public record Mask(int width, int height, boolean[] pixels) {

  public Mask {
    if (width <= 0 || height <= 0 || pixels.length != width * height) {
      throw new IllegalArgumentException(
          "mask of %d×%d needs %d pixels, found %d"
              .formatted(width, height, width * height, pixels.length));
    }
  }

  public static Mask empty(int width, int height) {
    return new Mask(width, height, new boolean[width * height]);
  }

  public int countDefective() {
    int count = 0;
    for (boolean p : pixels) {
      if (p) {
        count++;
      }
    }
    return count;
  }

  public boolean isEmpty() {
    for (boolean p : pixels) {
      if (p) {
        return false;
      }
    }
    return true;
  }
}
