package org.flawmap.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flawmap.dataset.Mask;
import org.flawmap.dataset.Regions;
import org.junit.jupiter.api.Test;

class RegionShapeTest {

  private static Mask mask(int width, int height, List<int[]> pixels) {
    boolean[] on = new boolean[width * height];
    for (int[] p : pixels) {
      on[p[1] * width + p[0]] = true;
    }
    return new Mask(width, height, on);
  }

  private static List<int[]> rectangle(int x0, int y0, int w, int h) {
    List<int[]> pixels = new ArrayList<>();
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        pixels.add(new int[] {x, y});
      }
    }
    return pixels;
  }

  private static RegionShape only(Mask mask) {
    List<RegionShape> shapes = RegionShape.of(Regions.of(mask));
    assertEquals(1, shapes.size());
    return shapes.get(0);
  }

  /** A w×h block of unit squares has axis variances w²/12 and h²/12, so the ratio is w / h. */
  @Test
  void rectangleElongationIsSideRatio() {
    int[][] cases = {{1, 1}, {3, 3}, {10, 2}, {2, 10}, {40, 1}, {7, 5}};
    for (int[] c : cases) {
      RegionShape shape = only(mask(2000, 60, rectangle(1900, 40, c[0], c[1])));

      double expected = (double) Math.max(c[0], c[1]) / Math.min(c[0], c[1]);
      assertEquals(expected, shape.elongation(), 1e-9, c[0] + "x" + c[1]);
      assertEquals(c[0] * c[1], shape.area());
      assertEquals(c[0], shape.boxWidth());
      assertEquals(c[1], shape.boxHeight());
      assertEquals(1900, shape.minX());
      assertEquals(40, shape.minY());
    }
  }

  /**
   * The n pixels (i, i) have variance 2(n² - 1)/12 along the diagonal and 0 across it, plus the
   * pixel's own 1/12 on both, so the elongation is sqrt(2n² - 1).
   */
  @Test
  void diagonalLineElongation() {
    int n = 12;
    List<int[]> pixels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pixels.add(new int[] {3 + i, 2 + i});
    }

    RegionShape shape = only(mask(20, 20, pixels));

    assertEquals(Math.sqrt(2.0 * n * n - 1), shape.elongation(), 1e-9);
    assertEquals(shape.boxWidth(), shape.boxHeight());
  }

  /**
   * Compares random regions with a brute-force reference: the largest and smallest variance of
   * the pixel centres projected on 36,000 directions, plus 1/12. With the angle step of 0.005°,
   * each extreme is off by at most about 2e-9 × (λmax - λmin).
   */
  @Test
  void matchesBruteForceOverDirections() {
    Random random = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int width = 40;
      int height = 30;
      List<int[]> pixels = new ArrayList<>();
      // A random walk stays 8-connected, so it forms one region.
      int x = width / 2;
      int y = height / 2;
      boolean[] on = new boolean[width * height];
      for (int step = 0; step < 60; step++) {
        if (!on[y * width + x]) {
          on[y * width + x] = true;
          pixels.add(new int[] {x, y});
        }
        x = Math.max(0, Math.min(width - 1, x + random.nextInt(3) - 1));
        y = Math.max(0, Math.min(height - 1, y + random.nextInt(3 - (trial % 2)) - 1));
      }

      RegionShape shape = only(mask(width, height, pixels));

      assertEquals(bruteForceElongation(pixels), shape.elongation(), 1e-6 * shape.elongation(),
          "trial " + trial);
    }
  }

  private static double bruteForceElongation(List<int[]> pixels) {
    double meanX = pixels.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double meanY = pixels.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double largest = 0;
    double smallest = Double.MAX_VALUE;
    for (int k = 0; k < 36_000; k++) {
      double angle = Math.PI * k / 36_000;
      double c = Math.cos(angle);
      double s = Math.sin(angle);
      double sum = 0;
      for (int[] p : pixels) {
        double projection = (p[0] - meanX) * c + (p[1] - meanY) * s;
        sum += projection * projection;
      }
      double variance = sum / pixels.size() + 1.0 / 12;
      largest = Math.max(largest, variance);
      smallest = Math.min(smallest, variance);
    }
    return Math.sqrt(largest / smallest);
  }

  @Test
  void separateRegionsAreMeasuredInLabelOrder() {
    List<int[]> pixels = new ArrayList<>(rectangle(0, 0, 8, 2));
    pixels.addAll(rectangle(12, 5, 3, 3));

    List<RegionShape> shapes = RegionShape.of(Regions.of(mask(16, 10, pixels)));

    assertEquals(2, shapes.size());
    assertEquals(1, shapes.get(0).label());
    assertEquals(16, shapes.get(0).area());
    assertEquals(4.0, shapes.get(0).elongation(), 1e-9);
    assertEquals(2, shapes.get(1).label());
    assertEquals(9, shapes.get(1).area());
    assertEquals(1.0, shapes.get(1).elongation(), 1e-9);
  }
}
