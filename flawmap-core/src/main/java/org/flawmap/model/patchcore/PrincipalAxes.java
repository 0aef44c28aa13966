package org.flawmap.model.patchcore;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The principal axes of a memory bank: its mean and an orthonormal basis ordered by decreasing
 * variance, from a cyclic Jacobi eigen-decomposition of the bank covariance in double
 * precision.
 *
 * <p>{@link NearestNeighbours} rotates the bank and every query into this basis. A rotation
 * preserves Euclidean distances whatever basis the decomposition returns, so the search stays
 * exact even when the Jacobi sweeps stop before full convergence. The ordering only makes the
 * leading coordinates carry most of the variance, which is what makes their partial sums good
 * lower bounds.
 */
final class PrincipalAxes {

  /**
   * Maximum Jacobi sweeps. On the 128 × 128 covariance of a 10,000-patch magnetic tile bank the
   * tolerance was met after 7.
   */
  static final int MAX_SWEEPS = 12;
  /**
   * Sweeps stop once the squared off-diagonal norm is below this fraction of the squared
   * diagonal norm. Only how well the leading axes capture the variance depends on it, because
   * the basis stays orthonormal.
   */
  static final double TOLERANCE = 1e-9;
  /** Bank patches per task when rotating the bank. */
  private static final int ROWS_PER_TASK = 512;

  private final int dimension;
  private final double[] mean;
  /** Axes as columns, {@code axes[j][k]} for component j of axis k, by decreasing variance. */
  private final double[][] axes;
  private final double[] variance;

  private PrincipalAxes(double[] mean, double[][] axes, double[] variance) {
    this.dimension = mean.length;
    this.mean = mean;
    this.axes = axes;
    this.variance = variance;
  }

  /** Computes the principal axes of {@code size × dimension} position-major values. */
  static PrincipalAxes of(float[] values, int size, int dimension) {
    double[] mean = new double[dimension];
    for (int m = 0; m < size; m++) {
      for (int j = 0; j < dimension; j++) {
        mean[j] += values[m * dimension + j];
      }
    }
    for (int j = 0; j < dimension; j++) {
      mean[j] /= size;
    }

    double[][] covariance = new double[dimension][dimension];
    double[] centred = new double[dimension];
    for (int m = 0; m < size; m++) {
      for (int j = 0; j < dimension; j++) {
        centred[j] = values[m * dimension + j] - mean[j];
      }
      for (int i = 0; i < dimension; i++) {
        double ci = centred[i];
        double[] row = covariance[i];
        for (int j = i; j < dimension; j++) {
          row[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < dimension; i++) {
      for (int j = 0; j < i; j++) {
        covariance[i][j] = covariance[j][i];
      }
    }

    double[][] vectors = identity(dimension);
    diagonalise(covariance, vectors);
    Integer[] order = new Integer[dimension];
    for (int k = 0; k < dimension; k++) {
      order[k] = k;
    }
    // Decreasing variance. Equal variances keep their index order, so the basis is reproducible.
    Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -covariance[k][k]));
    double[][] axes = new double[dimension][dimension];
    double[] variance = new double[dimension];
    for (int k = 0; k < dimension; k++) {
      variance[k] = covariance[order[k]][order[k]] / size;
      for (int j = 0; j < dimension; j++) {
        axes[j][k] = vectors[j][order[k]];
      }
    }
    return new PrincipalAxes(mean, axes, variance);
  }

  /** Returns the variance of the bank along each axis, in decreasing order. */
  double[] variance() {
    return variance.clone();
  }

  /**
   * Writes the coordinates of {@code values[offset .. offset + dimension)} in this basis,
   * {@code out[k] = Σ_j (x_j - mean_j) · axes[j][k]}, summed in double in ascending j and
   * rounded to float once. Equal inputs give bit-identical outputs.
   *
   * @param work scratch of {@code dimension} doubles
   */
  void rotate(float[] values, int offset, double[] work, float[] out) {
    Arrays.fill(work, 0);
    for (int j = 0; j < dimension; j++) {
      double centred = values[offset + j] - mean[j];
      double[] axis = axes[j];
      for (int k = 0; k < dimension; k++) {
        work[k] += centred * axis[k];
      }
    }
    for (int k = 0; k < dimension; k++) {
      out[k] = (float) work[k];
    }
  }

  /**
   * Rotates {@code size} position-major rows into this basis and returns them dimension-major,
   * {@code out[k][m]}, in parallel over fixed blocks of rows so that the result does not depend
   * on the thread count.
   */
  float[][] rotateAll(float[] values, int size) {
    float[][] out = new float[dimension][size];
    int tasks = (size + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    IntStream.range(0, tasks)
        .parallel()
        .forEach(
            task -> {
              double[] work = new double[dimension];
              float[] row = new float[dimension];
              int end = Math.min(size, (task + 1) * ROWS_PER_TASK);
              for (int m = task * ROWS_PER_TASK; m < end; m++) {
                rotate(values, m * dimension, work, row);
                for (int k = 0; k < dimension; k++) {
                  out[k][m] = row[k];
                }
              }
            });
    return out;
  }

  private static double[][] identity(int n) {
    double[][] identity = new double[n][n];
    for (int i = 0; i < n; i++) {
      identity[i][i] = 1;
    }
    return identity;
  }

  /**
   * Diagonalises the symmetric matrix {@code a} in place by the cyclic Jacobi method, one plane
   * rotation per off-diagonal pair and sweep, and accumulates the rotations into the columns
   * of {@code v}. Each rotation is orthogonal, so {@code v} stays orthonormal to double rounding
   * however many sweeps run.
   */
  private static void diagonalise(double[][] a, double[][] v) {
    int n = a.length;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double offDiagonal = 0;
      double diagonal = 0;
      for (int i = 0; i < n; i++) {
        diagonal += a[i][i] * a[i][i];
        for (int j = i + 1; j < n; j++) {
          offDiagonal += 2 * a[i][j] * a[i][j];
        }
      }
      if (offDiagonal <= TOLERANCE * diagonal) {
        return;
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(a, v, p, q);
        }
      }
    }
  }

  /** Applies the Jacobi rotation that zeroes {@code a[p][q]}. */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double apq = a[p][q];
    if (apq == 0) {
      return;
    }
    // tan of the rotation angle, the smaller root of t² + 2θt - 1 = 0, for stability.
    double theta = (a[q][q] - a[p][p]) / (2 * apq);
    double t = Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;

    // a ← a J, then a ← Jᵀ a, then v ← v J, for the rotation J in the (p, q) plane.
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }

    double[] rowP = a[p];
    double[] rowQ = a[q];
    for (int k = 0; k < n; k++) {
      double apk = rowP[k];
      double aqk = rowQ[k];
      rowP[k] = c * apk - s * aqk;
      rowQ[k] = s * apk + c * aqk;
    }

    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
}
