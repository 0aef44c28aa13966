package org.flawmap.anomalymap;

/**
 * Per-pixel anomaly scores of one image, row-major: {@code values[y * width + x]}. Higher is
 * more anomalous.
 */
public record AnomalyMap(int width, int height, float[] values) {

  public AnomalyMap {
    if (width <= 0 || height <= 0 || values.length != width * height) {
      throw new IllegalArgumentException(
          "anomaly map of %d×%d needs %d values, found %d"
              .formatted(width, height, width * height, values.length));
    }
  }

  public float get(int x, int y) {
    return values[y * width + x];
  }

  /** Returns the maximum score, the usual image score. */
  public float max() {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
