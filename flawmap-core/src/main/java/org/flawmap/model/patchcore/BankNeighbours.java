package org.flawmap.model.patchcore;

import java.util.Arrays;

/**
 * The bank patches nearest to a bank patch, for PatchCore's image score, ranked by the same
 * double-precision distances as a brute-force search and so with the same result.
 *
 * <p>Float sums over a dimension-major copy of the bank, in loops that vectorise (see {@link
 * CoresetSampler}), pick out the few patches whose double distance has to be computed. Each
 * float sum is within a relative {@code ε = (d + 2) · 2⁻²⁴} of the exact squared distance (one
 * rounding for the difference, one for the square, d for the sum), less at most
 * {@code A = d · 2⁻¹⁴⁹} where squares underflow. With {@code T} the count-th least float sum,
 * at least count patches lie within a squared distance of {@code (T + A) / (1 - ε)}. Every
 * patch of the brute-force result therefore has a float sum of at most
 * {@code (T + A)(1 + ε) / (1 - ε)}, double rounding included, and the patches with a float sum
 * of at most {@code T (1 + 4ε) + 4A} contain it.
 */
final class BankNeighbours {

  private final float[] bank;
  private final int size;
  private final int dimension;
  /** Bank, dimension-major: {@code byDimension[j][m]}. */
  private final float[][] byDimension;

  BankNeighbours(float[] bank, int size, int dimension) {
    this.bank = bank;
    this.size = size;
    this.dimension = dimension;
    this.byDimension = new float[dimension][size];
    for (int m = 0; m < size; m++) {
      for (int j = 0; j < dimension; j++) {
        byDimension[j][m] = bank[m * dimension + j];
      }
    }
  }

  /** Returns the Euclidean distance, in double precision, of a query to bank patch {@code m}. */
  static double distance(float[] bank, int dimension, float[] queries, int offset, int m) {
    double sum = 0;
    int base = m * dimension;
    for (int j = 0; j < dimension; j++) {
      double diff = (double) queries[offset + j] - bank[base + j];
      sum += diff * diff;
    }
    return Math.sqrt(sum);
  }

  /**
   * Returns the {@code count} bank patches nearest to bank patch {@code m}, nearest first and
   * ties by index. {@code count} is capped at the bank size.
   */
  int[] of(int m, int count) {
    int b = Math.min(count, size);
    float[] sum = floatSums(m);

    // The b least float sums, ascending, to find the b-th.
    float[] least = new float[b];
    Arrays.fill(least, Float.POSITIVE_INFINITY);
    for (int other = 0; other < size; other++) {
      float s = sum[other];
      if (s < least[b - 1]) {
        int slot = b - 1;
        while (slot > 0 && least[slot - 1] > s) {
          least[slot] = least[slot - 1];
          slot--;
        }
        least[slot] = s;
      }
    }
    double epsilon = (dimension + 2) * 0x1p-24;
    double threshold = least[b - 1] * (1 + 4 * epsilon) + 4 * dimension * 0x1p-149;

    int[] nearest = new int[b];
    double[] nearestDistance = new double[b];
    Arrays.fill(nearestDistance, Double.POSITIVE_INFINITY);
    int offset = m * dimension;
    for (int other = 0; other < size; other++) {
      if (sum[other] > threshold) {
        continue;
      }
      double d = distance(bank, dimension, bank, offset, other);
      if (d >= nearestDistance[b - 1]) {
        continue;
      }
      // Insertion into the sorted list; strict comparison keeps the lower index first on ties.
      int slot = b - 1;
      while (slot > 0 && nearestDistance[slot - 1] > d) {
        nearestDistance[slot] = nearestDistance[slot - 1];
        nearest[slot] = nearest[slot - 1];
        slot--;
      }
      nearestDistance[slot] = d;
      nearest[slot] = other;
    }
    return nearest;
  }

  /** Returns {@code Σ_j (b_j - x_j)²} in float for every bank patch b, x being patch m. */
  private float[] floatSums(int m) {
    float[] sum = new float[size];
    int offset = m * dimension;
    for (int j = 0; j < dimension; j++) {
      float x = bank[offset + j];
      float[] row = byDimension[j];
      for (int other = 0; other < size; other++) {
        float diff = row[other] - x;
        sum[other] += diff * diff;
      }
    }
    return sum;
  }
}
