package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The principal axes: an orthonormal rotation, ordered by decreasing variance. */
class PrincipalAxesTest {

  /** Rows with channel j scaled by {@code j + 1}, so the variances are known and distinct. */
  static float[] scaledRows(int rows, int d, long seed) {
    Random random = new Random(seed);
    float[] out = new float[rows * d];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        out[r * d + j] = (float) ((j + 1) * random.nextGaussian() + 3);
      }
    }
    return out;
  }

  static float[] rotated(PrincipalAxes axes, float[] rows, int row, int d) {
    float[] out = new float[d];
    axes.rotate(rows, row * d, new double[d], out);
    return out;
  }

  @Test
  void rotationPreservesDistances() {
    int d = 40;
    int size = 500;
    float[] bank = scaledRows(size, d, 1L);
    PrincipalAxes axes = PrincipalAxes.of(bank, size, d);
    for (int a = 0; a < 60; a++) {
      int b = (a * 37 + 11) % size;
      float[] ra = rotated(axes, bank, a, d);
      float[] rb = rotated(axes, bank, b, d);
      double original = NearestNeighboursTest.distance(bank, a, bank, b, d);
      double inBasis = 0;
      for (int k = 0; k < d; k++) {
        double diff = (double) ra[k] - rb[k];
        inBasis += diff * diff;
      }
      assertEquals(original, Math.sqrt(inBasis), 1e-6 * original, "patches " + a + ", " + b);
    }
  }

  @Test
  void axesFollowDecreasingVariance() {
    int d = 12;
    int size = 20_000;
    PrincipalAxes axes = PrincipalAxes.of(scaledRows(size, d, 2L), size, d);
    double[] variance = axes.variance();
    for (int k = 0; k < d; k++) {
      double expected = (d - k) * (d - k);
      assertEquals(expected, variance[k], 0.05 * expected, "variance along axis " + k);
    }
    for (int k = 1; k < d; k++) {
      assertTrue(variance[k] <= variance[k - 1], "axis " + k + " after axis " + (k - 1));
    }
  }

  @Test
  void rotateAllMatchesRotate() {
    int d = 9;
    int size = 1300;
    float[] bank = scaledRows(size, d, 3L);
    PrincipalAxes axes = PrincipalAxes.of(bank, size, d);
    float[][] all = axes.rotateAll(bank, size);
    for (int m = 0; m < size; m += 13) {
      float[] column = new float[d];
      for (int k = 0; k < d; k++) {
        column[k] = all[k][m];
      }
      assertArrayEquals(rotated(axes, bank, m, d), column, "patch " + m);
    }
  }

  @Test
  void singlePatchRotatesToTheOrigin() {
    float[] bank = {4, -2, 7};
    PrincipalAxes axes = PrincipalAxes.of(bank, 1, 3);
    assertArrayEquals(new float[3], rotated(axes, bank, 0, 3));
    assertArrayEquals(new double[3], axes.variance());
  }
}
