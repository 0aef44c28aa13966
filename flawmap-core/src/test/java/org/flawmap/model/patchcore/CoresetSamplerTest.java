package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.flawmap.util.Progress;
import org.junit.jupiter.api.Test;

/** Greedy coreset selection and the random projection against direct computations. */
class CoresetSamplerTest {

  /** Returns d rows of n standard normal values, dimension-major. */
  static float[][] randomPoints(int n, int d, long seed) {
    Random random = new Random(seed);
    float[][] points = new float[d][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        points[j][i] = (float) random.nextGaussian();
      }
    }
    return points;
  }

  static double squaredDistance(float[][] points, int a, int b) {
    double sum = 0;
    for (float[] row : points) {
      double diff = (double) row[a] - row[b];
      sum += diff * diff;
    }
    return sum;
  }

  /**
   * Farthest-point selection written out directly: each step recomputes every point's distance
   * to every chosen point, in double precision, and takes the farthest (lowest index on ties).
   */
  static int[] referenceSelection(float[][] points, int n, int k, int first) {
    int[] chosen = new int[k];
    chosen[0] = first;
    for (int s = 1; s < k; s++) {
      double best = -1;
      int arg = -1;
      for (int i = 0; i < n; i++) {
        double nearest = Double.POSITIVE_INFINITY;
        for (int c = 0; c < s; c++) {
          nearest = Math.min(nearest, squaredDistance(points, i, chosen[c]));
        }
        if (nearest > best) {
          best = nearest;
          arg = i;
        }
      }
      chosen[s] = arg;
    }
    return chosen;
  }

  private static int[] select(float[][] points, int n, int k, int first) {
    try (Progress progress = new Progress("coreset test", k, "patches")) {
      return CoresetSampler.select(points, n, k, first, progress);
    }
  }

  @Test
  void selectionMatchesDirectFarthestPoint() {
    int n = 300;
    float[][] points = randomPoints(n, 6, 11L);
    assertArrayEquals(referenceSelection(points, n, 40, 17), select(points, n, 40, 17));
  }

  @Test
  void selectionSpanningSeveralChunksMatches() {
    // More points than one task handles, so the argmax is reduced across chunks.
    int n = 2 * CoresetSampler.CHUNK + 123;
    float[][] points = randomPoints(n, 3, 12L);
    assertArrayEquals(referenceSelection(points, n, 12, n - 1), select(points, n, 12, n - 1));
  }

  @Test
  void selectionOnProjectionMatches() {
    int n = 400;
    float[][] points = randomPoints(n, 16, 13L);
    float[][] projected = CoresetSampler.project(points, n, 5, 99L);
    assertEquals(5, projected.length);
    assertArrayEquals(referenceSelection(projected, n, 30, 0), select(projected, n, 30, 0));
  }

  @Test
  void selectionFindsTheClusters() {
    // Four tight clusters far apart: the first four picks take one point of each.
    int n = 400;
    float[][] points = randomPoints(n, 2, 14L);
    for (int i = 0; i < n; i++) {
      points[0][i] = points[0][i] * 0.01f + 100 * (i % 2);
      points[1][i] = points[1][i] * 0.01f + 100 * ((i / 2) % 2);
    }
    int[] chosen = select(points, n, 4, 0);
    boolean[] seen = new boolean[4];
    for (int c : chosen) {
      seen[c % 4] = true;
    }
    assertArrayEquals(new boolean[] {true, true, true, true}, seen);
  }

  @Test
  void tiesGoToTheLowestIndex() {
    // Two equally far copies in different chunks: the one with the lower index wins.
    int n = 2 * CoresetSampler.CHUNK + 10;
    float[][] points = new float[2][n];
    int low = 5;
    int high = CoresetSampler.CHUNK + 5;
    points[0][low] = 10;
    points[0][high] = 10;
    int[] chosen = select(points, n, 2, 0);
    assertEquals(low, chosen[1]);
  }

  @Test
  void projectionComputesTheMatrixProduct() {
    int n = 50;
    float[][] points = randomPoints(n, 7, 15L);
    float[][] projected = CoresetSampler.project(points, n, 3, 7L);
    float[][] units = new float[7][7];
    for (int j = 0; j < 7; j++) {
      units[j][j] = 1;
    }
    // Projecting the unit vectors recovers the matrix, seeded identically.
    float[][] matrix = CoresetSampler.project(units, 7, 3, 7L);
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < 3; q++) {
        double expected = 0;
        for (int j = 0; j < 7; j++) {
          expected += (double) points[j][i] * matrix[q][j];
        }
        assertEquals(expected, projected[q][i], 1e-5, "point " + i + ", output " + q);
      }
    }
  }

  @Test
  void projectionKeepsDistancesOnAverage() {
    // Johnson–Lindenstrauss: E‖Rx‖² = ‖x‖² for entries N(0, 1/p); 2000 pairs bring the mean
    // ratio within a few percent of 1.
    int n = 4000;
    float[][] points = randomPoints(n, 128, 16L);
    float[][] projected = CoresetSampler.project(points, n, 64, 3L);
    double ratioSum = 0;
    for (int i = 0; i < n; i += 2) {
      ratioSum += squaredDistance(projected, i, i + 1) / squaredDistance(points, i, i + 1);
    }
    assertEquals(1.0, ratioSum / (n / 2), 0.05);
  }

  @Test
  void invalidSizesAreRejected() {
    float[][] points = randomPoints(10, 2, 1L);
    assertThrows(IllegalArgumentException.class, () -> select(points, 10, 11, 0));
    assertThrows(IllegalArgumentException.class, () -> select(points, 10, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> select(points, 10, 3, 10));
  }
}
