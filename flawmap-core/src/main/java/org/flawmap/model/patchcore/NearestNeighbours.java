package org.flawmap.model.patchcore;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact nearest-neighbour search in a memory bank by brute force.
 *
 * <p>The bank is kept twice: position-major ({@code bank[m * d + j]}) for exact distances, and
 * dimension-major ({@code byDimension[j][m]}) for the search loop, which adds
 * {@code (b - x)²} for a tile of bank patches per dimension. That loop vectorises for the
 * reason given in {@link CoresetSampler}. The squared differences are summed directly rather
 * than as {@code ‖a‖² + ‖b‖² - 2a·b}. A microbenchmark with 20,000 bank patches of 128
 * dimensions ran both forms at about the same speed, and the direct one does not cancel when a
 * patch is close to the bank.
 *
 * <p>The search compares float sums, and the reported distance of the winner is then
 * recomputed in double precision. Every query is processed in the same order whatever the split
 * into tasks, so results do not depend on the thread count or on the other queries.
 */
final class NearestNeighbours {

  /** Bank patches per tile: {@code TILE × d} floats stay in the second-level cache. */
  static final int TILE = 512;
  /** Queries per task. */
  static final int QUERIES_PER_TASK = 32;

  /** Index into the bank and Euclidean distance of each query's nearest bank patch. */
  record Matches(int[] index, float[] distance) {}

  private final float[] bank;
  private final float[][] byDimension;
  private final int size;
  private final int dimension;

  /** @param bank {@code size × dimension} values, position-major, shared and not copied */
  NearestNeighbours(float[] bank, int size, int dimension) {
    if (size < 1 || bank.length != (long) size * dimension) {
      throw new IllegalArgumentException(
          "memory bank has %d values, expected %d patches × %d channels"
              .formatted(bank.length, size, dimension));
    }
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

  int size() {
    return size;
  }

  /** Finds the nearest bank patch of each of {@code count} position-major queries. */
  Matches search(float[] queries, int count) {
    int[] index = new int[count];
    float[] distance = new float[count];
    int tasks = (count + QUERIES_PER_TASK - 1) / QUERIES_PER_TASK;
    IntStream.range(0, tasks)
        .parallel()
        .forEach(
            task -> {
              int lo = task * QUERIES_PER_TASK;
              int hi = Math.min(count, lo + QUERIES_PER_TASK);
              searchRange(queries, lo, hi, index, distance);
            });
    return new Matches(index, distance);
  }

  private void searchRange(float[] queries, int lo, int hi, int[] index, float[] distance) {
    float[] squared = new float[size];
    float[] best = new float[hi - lo];
    Arrays.fill(best, Float.POSITIVE_INFINITY);
    for (int start = 0; start < size; start += TILE) {
      int end = Math.min(size, start + TILE);
      for (int q = lo; q < hi; q++) {
        Arrays.fill(squared, start, end, 0f);
        accumulate(queries, q * dimension, start, end, squared);
        float nearest = best[q - lo];
        int arg = index[q];
        for (int m = start; m < end; m++) {
          if (squared[m] < nearest) {
            nearest = squared[m];
            arg = m;
          }
        }
        best[q - lo] = nearest;
        index[q] = arg;
      }
    }
    for (int q = lo; q < hi; q++) {
      distance[q] = (float) distance(queries, q * dimension, index[q]);
    }
  }

  /**
   * Adds {@code (b_j - x_j)²} over every dimension j, in ascending j, to {@code squared[m]} for
   * the bank patches {@code m} in {@code [start, end)}. Four dimensions go through each pass
   * over the tile, so {@code squared} is loaded and stored once per four dimensions rather than
   * once per dimension. The additions into each {@code squared[m]} keep their order, so the
   * float sums are the same as those of one dimension per pass.
   */
  private void accumulate(float[] queries, int base, int start, int end, float[] squared) {
    int j = 0;
    for (; j + 4 <= dimension; j += 4) {
      float x0 = queries[base + j];
      float x1 = queries[base + j + 1];
      float x2 = queries[base + j + 2];
      float x3 = queries[base + j + 3];
      float[] r0 = byDimension[j];
      float[] r1 = byDimension[j + 1];
      float[] r2 = byDimension[j + 2];
      float[] r3 = byDimension[j + 3];
      for (int m = start; m < end; m++) {
        float d0 = r0[m] - x0;
        float d1 = r1[m] - x1;
        float d2 = r2[m] - x2;
        float d3 = r3[m] - x3;
        float sum = squared[m];
        sum += d0 * d0;
        sum += d1 * d1;
        sum += d2 * d2;
        sum += d3 * d3;
        squared[m] = sum;
      }
    }
    for (; j < dimension; j++) {
      float x = queries[base + j];
      float[] row = byDimension[j];
      for (int m = start; m < end; m++) {
        float diff = row[m] - x;
        squared[m] += diff * diff;
      }
    }
  }

  /** Returns the Euclidean distance, in double precision, of a query to bank patch {@code m}. */
  double distance(float[] queries, int offset, int m) {
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
   * ties by index, so {@code m} itself comes first unless the bank contains exact copies of it
   * at lower indices. {@code count} is capped at the bank size.
   */
  int[] neighboursOf(int m, int count) {
    int b = Math.min(count, size);
    int[] nearest = new int[b];
    double[] nearestDistance = new double[b];
    Arrays.fill(nearestDistance, Double.POSITIVE_INFINITY);
    int offset = m * dimension;
    for (int other = 0; other < size; other++) {
      double d = distance(bank, offset, other);
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
}
