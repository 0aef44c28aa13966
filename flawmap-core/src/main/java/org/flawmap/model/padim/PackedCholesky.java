package org.flawmap.model.padim;

import java.util.Arrays;

/**
 * Cholesky factors of symmetric positive definite matrices in packed column-major lower
 * triangles: column {@code j} contains rows {@code j..d-1} contiguously, starting at
 * {@link #columnStart}. Column storage makes both the covariance update and the forward
 * substitution plain {@code axpy} loops, which the JIT vectorises.
 */
final class PackedCholesky {

  private PackedCholesky() {}

  static int packedSize(int d) {
    return d * (d + 1) / 2;
  }

  static int columnStart(int j, int d) {
    return j * d - j * (j - 1) / 2;
  }

  /**
   * Factors {@code a = L Lᵀ} in place, where {@code a} is packed as described above.
   *
   * @return false when a pivot is not positive, that is the matrix is not positive definite
   */
  static boolean factor(double[] a, int offset, int d) {
    for (int j = 0; j < d; j++) {
      int cj = offset + columnStart(j, d);
      double pivot = a[cj];
      if (!(pivot > 0)) {
        return false;
      }
      double ljj = Math.sqrt(pivot);
      a[cj] = ljj;
      for (int i = j + 1; i < d; i++) {
        a[cj + i - j] /= ljj;
      }
      // Right-looking update of the trailing columns: a[i][k] -= l[i][j] * l[k][j].
      for (int k = j + 1; k < d; k++) {
        double lkj = a[cj + k - j];
        int ck = offset + columnStart(k, d);
        for (int i = k; i < d; i++) {
          a[ck + i - k] -= a[cj + i - j] * lkj;
        }
      }
    }
    return true;
  }

  /**
   * Returns the squared Mahalanobis norm {@code ‖L⁻¹ r‖²} of the residual {@code r}, solving
   * {@code L y = r} column by column. {@code r} is overwritten.
   */
  static double solveSquaredNorm(float[] l, int offset, float[] r, int d) {
    double norm = 0;
    int cj = offset;
    for (int j = 0; j < d; j++) {
      float yj = r[j] / l[cj];
      norm += (double) yj * yj;
      for (int i = j + 1; i < d; i++) {
        r[i] -= l[cj + i - j] * yj;
      }
      cj += d - j;
    }
    return norm;
  }

  /**
   * Computes {@link #solveSquaredNorm} for several residuals against one factor, with the
   * same operations on each residual in the same order, so the norms are the same.
   *
   * <p>Three things make it faster. Each column of {@code L} is applied to every residual
   * before the next is read, so the factor passes through the caches once for all of them.
   * Columns are copied to scratch arrays at their row indices, because C2 vectorised these
   * loops only when every array is indexed by the same expression, as {@code CoresetSampler}
   * notes. And two columns go through each pass over a residual, which halves its loads and
   * stores: element {@code j + 1} gets column j's update first, which gives {@code y[j+1]},
   * and every later element then subtracts column j's term and column j+1's term in turn.
   *
   * @param r residuals, each of {@code d} values, overwritten
   * @param c0 scratch of at least {@code d} values
   * @param c1 scratch of at least {@code d} values
   * @param norms receives the squared norm of each residual
   */
  static void solveSquaredNorms(
      float[] l, int offset, float[][] r, int d, float[] c0, float[] c1, double[] norms) {
    int n = r.length;
    Arrays.fill(norms, 0, n, 0);
    int cj = offset;
    int j = 0;
    for (; j + 1 < d; j += 2) {
      int cj1 = cj + d - j;
      System.arraycopy(l, cj, c0, j, d - j);
      System.arraycopy(l, cj1, c1, j + 1, d - j - 1);
      for (int b = 0; b < n; b++) {
        float[] rb = r[b];
        float y0 = rb[j] / c0[j];
        norms[b] += (double) y0 * y0;
        rb[j + 1] -= c0[j + 1] * y0;
        float y1 = rb[j + 1] / c1[j + 1];
        norms[b] += (double) y1 * y1;
        for (int i = j + 2; i < d; i++) {
          rb[i] = rb[i] - c0[i] * y0 - c1[i] * y1;
        }
      }
      cj = cj1 + d - j - 1;
    }
    if (j < d) {
      // The last column of an odd d has its diagonal entry only.
      for (int b = 0; b < n; b++) {
        float yj = r[b][j] / l[cj];
        norms[b] += (double) yj * yj;
      }
    }
  }
}
