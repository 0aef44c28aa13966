package org.flawmap.labels;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.dataset.Regions;

/**
 * Size and shape of one connected region of a mask, the evidence {@link LabelSuggester} uses
 * to tell thin, crack-like regions from compact, blob-like ones.
 *
 * <p>Elongation is the ratio of the axes of the ellipse that has the region's second moments:
 * {@code sqrt(λmax / λmin)}, where λ are the eigenvalues of the covariance of the region's
 * points. Each pixel counts as a unit square, so its own variance of 1/12 is added on each axis;
 * then a w×h rectangle has elongation exactly {@code max(w, h) / min(w, h)}, a single pixel 1,
 * and a one-pixel-wide line of length L about L. Unlike the bounding-box aspect ratio, the
 * measure does not depend on the rotation: a diagonal scratch has a square bounding box but a
 * high elongation.
 *
 * @param label region label in {@link Regions#labels()}, from 1
 * @param area pixel count
 * @param minX smallest x of the region's pixels (bounding box, inclusive)
 * @param minY smallest y
 * @param maxX largest x
 * @param maxY largest y
 * @param elongation axis ratio as defined above, at least 1
 */
public record RegionShape(
    int label, int area, int minX, int minY, int maxX, int maxY, double elongation) {

  /** Variance of a uniform distribution over one pixel, a unit square, along any axis. */
  private static final double PIXEL_VARIANCE = 1.0 / 12.0;

  /** Measures every region of {@code regions}, in label order. */
  public static List<RegionShape> of(Regions regions) {
    int count = regions.count();
    int width = regions.width();
    int[] labels = regions.labels();
    // Sums of coordinates relative to each region's first pixel, which keeps the variance
    // accurate for small regions far from the origin.
    int[] originX = new int[count + 1];
    int[] originY = new int[count + 1];
    boolean[] seen = new boolean[count + 1];
    double[] sx = new double[count + 1];
    double[] sy = new double[count + 1];
    double[] sxx = new double[count + 1];
    double[] syy = new double[count + 1];
    double[] sxy = new double[count + 1];
    int[] minX = new int[count + 1];
    int[] minY = new int[count + 1];
    int[] maxX = new int[count + 1];
    int[] maxY = new int[count + 1];

    for (int p = 0; p < labels.length; p++) {
      int label = labels[p];
      if (label == 0) {
        continue;
      }
      int x = p % width;
      int y = p / width;
      if (!seen[label]) {
        seen[label] = true;
        originX[label] = x;
        originY[label] = y;
        minX[label] = x;
        minY[label] = y;
        maxX[label] = x;
        maxY[label] = y;
      }
      double dx = x - originX[label];
      double dy = y - originY[label];
      sx[label] += dx;
      sy[label] += dy;
      sxx[label] += dx * dx;
      syy[label] += dy * dy;
      sxy[label] += dx * dy;
      minX[label] = Math.min(minX[label], x);
      maxX[label] = Math.max(maxX[label], x);
      minY[label] = Math.min(minY[label], y);
      maxY[label] = Math.max(maxY[label], y);
    }

    List<RegionShape> shapes = new ArrayList<>(count);
    for (int label = 1; label <= count; label++) {
      double n = regions.areas()[label];
      double meanX = sx[label] / n;
      double meanY = sy[label] / n;
      double varX = sxx[label] / n - meanX * meanX + PIXEL_VARIANCE;
      double varY = syy[label] / n - meanY * meanY + PIXEL_VARIANCE;
      double cov = sxy[label] / n - meanX * meanY;
      shapes.add(new RegionShape(label, regions.areas()[label], minX[label], minY[label],
          maxX[label], maxY[label], axisRatio(varX, varY, cov)));
    }
    return shapes;
  }

  /** Returns sqrt(λmax / λmin) of the symmetric matrix [[varX, cov], [cov, varY]]. */
  static double axisRatio(double varX, double varY, double cov) {
    double mean = (varX + varY) / 2;
    double radius = Math.hypot((varX - varY) / 2, cov);
    double largest = mean + radius;
    double smallest = Math.max(mean - radius, Double.MIN_NORMAL);
    return Math.max(1.0, Math.sqrt(largest / smallest));
  }

  public int boxWidth() {
    return maxX - minX + 1;
  }

  public int boxHeight() {
    return maxY - minY + 1;
  }
}
