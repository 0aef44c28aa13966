package org.flawmap.model.patchcore;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.flawmap.util.Progress;

/**
 * Greedy coreset selection, the iterative farthest-point (k-center) rule of PatchCore (Roth et
 * al., CVPR 2022): start from one point, then repeatedly add the point whose distance to the
 * points chosen so far is largest. The chosen points cover the candidates with a small maximum
 * distance, so rare normal patterns survive where uniform sampling would drop them.
 *
 * <p>Points are stored dimension-major, {@code points[j][i]} for dimension {@code j} of point
 * {@code i}, so that updating every point's distance to a new centre is a loop over contiguous
 * memory per dimension. NOTE: the C2 compiler of OpenJDK 17.0.15 vectorised these loops only
 * when every array in them is indexed by the same expression. Measured on AVX-512, that ran
 * about 6× faster than an offset into one flat array. So rows are separate arrays, and the
 * scratch distances are indexed by the point index too.
 */
final class CoresetSampler {

  /** Points per task of one distance update; a few tasks per core keep both cores busy. */
  static final int CHUNK = 8192;
  /** Points whose partial distances stay in the first-level cache while dimensions stream. */
  static final int TILE = 512;

  private CoresetSampler() {}

  /**
   * Projects points to {@code target} dimensions with a seeded Gaussian matrix scaled by
   * {@code 1/sqrt(target)}, which preserves distances approximately (Johnson–Lindenstrauss).
   *
   * @param points d rows of n values, dimension-major
   * @return target rows of n values, dimension-major
   */
  static float[][] project(float[][] points, int n, int target, long seed) {
    int d = points.length;
    SplittableRandom random = new SplittableRandom(seed);
    double scale = 1 / Math.sqrt(target);
    float[][] matrix = new float[d][target];
    for (float[] row : matrix) {
      for (int q = 0; q < target; q++) {
        row[q] = (float) (random.nextGaussian() * scale);
      }
    }

    float[][] projected = new float[target][n];
    IntStream.range(0, chunkCount(n))
        .parallel()
        .forEach(
            chunk -> {
              int lo = chunk * CHUNK;
              int hi = Math.min(n, lo + CHUNK);
              // Tiles keep one tile's inputs in the second-level cache for every output row.
              for (int start = lo; start < hi; start += TILE) {
                int end = Math.min(hi, start + TILE);
                for (int q = 0; q < target; q++) {
                  float[] out = projected[q];
                  for (int j = 0; j < d; j++) {
                    float weight = matrix[j][q];
                    float[] in = points[j];
                    for (int i = start; i < end; i++) {
                      out[i] += weight * in[i];
                    }
                  }
                }
              }
            });
    return projected;
  }

  /**
   * Selects {@code k} of the {@code n} points by greedy farthest-point selection on squared
   * Euclidean distances, starting at {@code first}. Ties go to the lowest index, so the result
   * does not depend on the number of threads.
   *
   * @param points rows of n values, dimension-major
   * @param progress advanced by one per selected point
   * @return the selected indices, in selection order
   */
  static int[] select(float[][] points, int n, int k, int first, Progress progress) {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "coreset size must be in [1, %d], found %d".formatted(n, k));
    }
    if (first < 0 || first >= n) {
      throw new IllegalArgumentException(
          "first coreset point %d is outside [0, %d)".formatted(first, n));
    }
    int dims = points.length;
    float[] minDistance = new float[n];
    Arrays.fill(minDistance, Float.POSITIVE_INFINITY);
    float[] scratch = new float[n];
    int chunks = chunkCount(n);
    float[] chunkMax = new float[chunks];
    int[] chunkArgMax = new int[chunks];
    float[] centre = new float[dims];

    int[] selected = new int[k];
    int next = first;
    for (int s = 0; s < k; s++) {
      selected[s] = next;
      progress.step();
      if (s == k - 1) {
        break;
      }
      for (int j = 0; j < dims; j++) {
        centre[j] = points[j][next];
      }
      IntStream.range(0, chunks)
          .parallel()
          .forEach(
              chunk -> update(points, centre, minDistance, scratch, chunk, n, chunkMax,
                  chunkArgMax));
      next = chunkArgMax[0];
      float best = chunkMax[0];
      for (int c = 1; c < chunks; c++) {
        if (chunkMax[c] > best) {
          best = chunkMax[c];
          next = chunkArgMax[c];
        }
      }
    }
    return selected;
  }

  /** Lowers each point's distance to the chosen set by its distance to {@code centre}. */
  private static void update(
      float[][] points,
      float[] centre,
      float[] minDistance,
      float[] scratch,
      int chunk,
      int n,
      float[] chunkMax,
      int[] chunkArgMax) {
    int lo = chunk * CHUNK;
    int hi = Math.min(n, lo + CHUNK);
    float best = -1;
    int argMax = lo;
    for (int start = lo; start < hi; start += TILE) {
      int end = Math.min(hi, start + TILE);
      Arrays.fill(scratch, start, end, 0f);
      for (int j = 0; j < points.length; j++) {
        float c = centre[j];
        float[] row = points[j];
        for (int i = start; i < end; i++) {
          float diff = row[i] - c;
          scratch[i] += diff * diff;
        }
      }
      for (int i = start; i < end; i++) {
        float distance = Math.min(minDistance[i], scratch[i]);
        minDistance[i] = distance;
        if (distance > best) {
          best = distance;
          argMax = i;
        }
      }
    }
    chunkMax[chunk] = best;
    chunkArgMax[chunk] = argMax;
  }

  private static int chunkCount(int n) {
    return (n + CHUNK - 1) / CHUNK;
  }
}
