package org.flawmap.model.padim;

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
}
