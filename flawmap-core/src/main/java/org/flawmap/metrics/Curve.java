package org.flawmap.metrics;

import java.util.Arrays;

/**
 * A curve for plots and reports, as parallel arrays of equal length.
 *
 * @param xLabel name of the x axis, for example {@code FPR}
 * @param yLabel name of the y axis, for example {@code TPR}
 * @param x x coordinates
 * @param y y coordinates
 * @param thresholds pixel or image threshold at each point ({@code score >= threshold} is predicted
 *     anomalous)
 */
public record Curve(String xLabel, String yLabel, double[] x, double[] y, double[] thresholds) {

  /** Default maximum number of points kept by {@link #downsample(int)} for reports. */
  public static final int DEFAULT_MAX_POINTS = 1000;

  public Curve {
    if (x.length != y.length || x.length != thresholds.length) {
      throw new IllegalArgumentException(
          "curve %s/%s needs arrays of equal length, found x %d, y %d, thresholds %d"
              .formatted(yLabel, xLabel, x.length, y.length, thresholds.length));
    }
  }

  public int size() {
    return x.length;
  }

  /**
   * Returns a curve of at most {@code maxPoints} points that keeps the first and last point and
   * spaces the others evenly by arc length, with each axis scaled to its own range so that steep
   * parts keep their detail. Returns this curve when it is already small enough.
   *
   * @param maxPoints at least 2
   */
  public Curve downsample(int maxPoints) {
    if (maxPoints < 2) {
      throw new IllegalArgumentException(
          "invalid maxPoints %d: a curve needs at least 2 points".formatted(maxPoints));
    }
    int n = size();
    if (n <= maxPoints) {
      return this;
    }

    double xRange = range(x);
    double yRange = range(y);
    double[] arc = new double[n];
    for (int i = 1; i < n; i++) {
      double dx = scaledStep(x[i - 1], x[i], xRange);
      double dy = scaledStep(y[i - 1], y[i], yRange);
      arc[i] = arc[i - 1] + Math.hypot(dx, dy);
    }

    // Spacing by L / (maxPoints - 2) keeps at most maxPoints - 1 points before the forced last.
    double spacing = maxPoints > 2 ? arc[n - 1] / (maxPoints - 2) : Double.POSITIVE_INFINITY;
    int[] keptIndices = new int[maxPoints];
    int keptCount = 0;
    keptIndices[keptCount++] = 0;
    double lastArc = 0;
    for (int i = 1; i < n - 1 && keptCount < maxPoints - 1; i++) {
      if (arc[i] - lastArc >= spacing) {
        keptIndices[keptCount++] = i;
        lastArc = arc[i];
      }
    }
    keptIndices[keptCount++] = n - 1;

    double[] keptX = new double[keptCount];
    double[] keptY = new double[keptCount];
    double[] keptThresholds = new double[keptCount];
    for (int k = 0; k < keptCount; k++) {
      keptX[k] = x[keptIndices[k]];
      keptY[k] = y[keptIndices[k]];
      keptThresholds[k] = thresholds[keptIndices[k]];
    }
    return new Curve(xLabel, yLabel, keptX, keptY, keptThresholds);
  }

  /** Returns the step from a to b divided by range, or 0 when it is not finite (or range is 0). */
  private static double scaledStep(double a, double b, double range) {
    double step = (b - a) / range;
    return Double.isFinite(step) ? step : 0;
  }

  private static double range(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return max > min ? max - min : 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Curve c
        && xLabel.equals(c.xLabel)
        && yLabel.equals(c.yLabel)
        && Arrays.equals(x, c.x)
        && Arrays.equals(y, c.y)
        && Arrays.equals(thresholds, c.thresholds);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(y)) + Arrays.hashCode(thresholds);
  }

  @Override
  public String toString() {
    return "Curve[%s vs %s, %d points]".formatted(yLabel, xLabel, size());
  }
}
