package org.flawmap.model.patchcore;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact nearest-neighbour search in a memory bank, pruned by partial sums along its principal
 * axes.
 *
 * <p>At construction the bank is rotated into its {@link PrincipalAxes}. On a magnetic tile bank
 * of 10,000 patches × 128 channels the first {@value #PREFIX} coordinates carry 84% of the
 * variance. For each query, rotated the same way:
 *
 * <ol>
 *   <li>the partial sum of {@code (b_k - x_k)²} over the first {@code prefix} coordinates is
 *       computed for every bank patch, dimension-major, in loops that vectorise for the reason
 *       given in {@link CoresetSampler};
 *   <li>a first candidate is completed to its full sum: the previous query's nearest bank patch
 *       when the task has one (neighbouring grid positions often share it), else the patch with
 *       the least partial sum;
 *   <li>chunk by chunk, every patch whose partial sum is at most the best full sum so far is
 *       completed from a position-major copy, and abandoned once its running sum exceeds the
 *       best. A chunk with many such patches is completed dimension-major like a brute-force
 *       search instead. When most of a chunk passes, as for a query far from the whole bank,
 *       so does the rest of the bank.
 * </ol>
 *
 * <p>Why the result is exact: every full sum is the float sum of {@code (b_k - x_k)²} in
 * ascending k, whichever step computes it, so each (query, bank patch) pair has one value.
 * Adding a non-negative float never lowers a float sum, so a partial or abandoned sum above the
 * best rules its patch out. The winner is therefore the patch of least sum, ties to the lower
 * index, whatever the first candidate, the other queries or the thread count. It can differ
 * from the nearest patch in the original coordinates only when the two distances agree to
 * within float rounding. A float sum of d squares is within {@code (d + 2) · 2⁻²⁴} relative of
 * its exact value (8e-6 for 128 channels), and rounding the rotated coordinates moves a
 * distance by at most 2⁻²⁴ times the query's and the patch's distances from the bank mean. The
 * reported distance is recomputed in double precision from the original bank.
 *
 * <p>The axes are computed at load time, so the model file stores only the bank. Pruning whole
 * clusters of the bank by triangle-inequality or bounding-box bounds was measured on that same
 * bank and rejected. A coreset spreads its patches evenly, so with clusters of 16 to 256
 * patches, 50% to 95% of the bank still had to be visited.
 */
final class NearestNeighbours {

  /** Leading principal coordinates summed for every bank patch of every query. */
  static final int PREFIX = 24;
  /** Queries per task. Each task hands its previous winner on as the next first candidate. */
  static final int QUERIES_PER_TASK = 32;
  /** Bank patches whose candidates are collected before they are completed. */
  static final int SCAN_CHUNK = 512;
  /**
   * A chunk is completed dimension-major when more than one in {@value} of its patches are
   * candidates. On the magnetic tile bank (AVX-512, OpenJDK 17.0.15) one completion from the
   * position-major copy took 50 to 70 ns, and completing a patch dimension-major about 3 ns.
   * Shares of 8, 16 and 32 ran within measurement noise of each other.
   */
  static final int DENSE_SHARE = 16;
  /**
   * When more than one in {@value} of a chunk's patches are candidates, as for a query far from
   * the whole bank, the rest of the bank is completed dimension-major in one pass. Long loops
   * run faster than chunk by chunk, which kept the worst case at about 1.2 times the time of a
   * brute-force search on the magnetic tile bank.
   */
  static final int REST_SHARE = 2;

  /** Index into the bank and Euclidean distance of each query's nearest bank patch. */
  record Matches(int[] index, float[] distance) {}

  private final float[] bank;
  private final int size;
  private final int dimension;
  private final int prefix;
  private final PrincipalAxes axes;
  /** Rotated bank, dimension-major: {@code byDimension[k][m]}. */
  private final float[][] byDimension;
  /** Rotated coordinates {@code prefix ≤ k < dimension}, position-major, {@code tail} a row. */
  private final float[] tails;
  private final int tail;
  private final BankNeighbours neighbours;

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
    this.prefix = Math.min(PREFIX, dimension);
    this.axes = PrincipalAxes.of(bank, size, dimension);
    this.byDimension = axes.rotateAll(bank, size);
    this.tail = dimension - prefix;
    this.tails = new float[size * tail];
    for (int k = prefix; k < dimension; k++) {
      float[] row = byDimension[k];
      for (int m = 0; m < size; m++) {
        tails[m * tail + k - prefix] = row[m];
      }
    }
    this.neighbours = new BankNeighbours(bank, size, dimension);
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
              Query query = new Query(size, dimension);
              int previous = -1;
              for (int q = lo; q < hi; q++) {
                axes.rotate(queries, q * dimension, query.work, query.x);
                Arrays.fill(query.sum, 0f);
                accumulate(query.x, 0, prefix, 0, size, query.sum);
                previous = nearest(query, previous);
                index[q] = previous;
                distance[q] = (float) distance(queries, q * dimension, previous);
              }
            });
    return new Matches(index, distance);
  }

  /** Scratch of one task, and the running best of its current query. */
  private static final class Query {
    final double[] work;
    final float[] x;
    final float[] sum;
    final int[] candidates = new int[SCAN_CHUNK];
    float best;
    int arg;

    Query(int size, int dimension) {
      work = new double[dimension];
      x = new float[dimension];
      sum = new float[size];
    }
  }

  /**
   * Returns the bank patch of least full sum for the rotated query {@code query.x}, whose
   * partial sums over the first {@code prefix} coordinates are in {@code query.sum}.
   *
   * @param candidate the bank patch to complete first, or -1 for the least partial sum
   */
  private int nearest(Query query, int candidate) {
    float[] sum = query.sum;
    int first = candidate >= 0 ? candidate : argmin(sum);
    query.arg = first;
    query.best = complete(query.x, first, sum[first], Float.POSITIVE_INFINITY);

    for (int start = 0; start < size; start += SCAN_CHUNK) {
      if (completeChunk(query, start, Math.min(size, start + SCAN_CHUNK))) {
        break;
      }
    }
    return query.arg;
  }

  /** Completes {@code [start, end)} dimension-major and offers its least sum. */
  private void completeDense(Query query, int start, int end) {
    float[] sum = query.sum;
    accumulate(query.x, prefix, dimension, start, end, sum);
    int arg = start;
    for (int m = start + 1; m < end; m++) {
      if (sum[m] < sum[arg]) {
        arg = m;
      }
    }
    offer(query, arg, sum[arg]);
  }

  /**
   * Offers every bank patch in {@code [start, end)} whose partial sum is at most the running
   * best, and returns whether the rest of the bank was completed too. The candidates are
   * collected first, against the best at the start of the chunk, and their share picks the
   * step (see {@link #DENSE_SHARE} and {@link #REST_SHARE}). The separate collection loop is
   * also faster: with the completion inlined into the scan, C2 of OpenJDK 17.0.15 made the
   * whole search about twice as slow.
   */
  private boolean completeChunk(Query query, int start, int end) {
    float[] sum = query.sum;
    int[] candidates = query.candidates;
    int count = collect(sum, start, end, query.best, candidates);
    if (count * REST_SHARE > end - start) {
      completeDense(query, start, size);
      return true;
    }
    if (count * DENSE_SHARE > end - start) {
      completeDense(query, start, end);
      return false;
    }
    for (int i = 0; i < count; i++) {
      int m = candidates[i];
      float partial = sum[m];
      if (partial <= query.best && m != query.arg) {
        offer(query, m, complete(query.x, m, partial, query.best));
      }
    }
    return false;
  }

  /** Writes the indices m in {@code [start, end)} with {@code sum[m] ≤ best}, and their count. */
  private static int collect(float[] sum, int start, int end, float best, int[] candidates) {
    int count = 0;
    for (int m = start; m < end; m++) {
      if (sum[m] <= best) {
        candidates[count++] = m;
      }
    }
    return count;
  }

  private static void offer(Query query, int m, float full) {
    if (full < query.best || (full == query.best && m < query.arg)) {
      query.best = full;
      query.arg = m;
    }
  }

  private int argmin(float[] sum) {
    int arg = 0;
    for (int m = 1; m < size; m++) {
      if (sum[m] < sum[arg]) {
        arg = m;
      }
    }
    return arg;
  }

  /**
   * Adds {@code (b_k - x_k)²} for coordinates {@code prefix ≤ k < dimension}, in ascending k, to
   * the partial sum of bank patch {@code m}. Returns the full sum, or a sum above {@code limit}
   * as soon as the running sum exceeds it (checked every 8 coordinates).
   */
  private float complete(float[] x, int m, float partial, float limit) {
    float sum = partial;
    int base = m * tail - prefix;
    int k = prefix;
    for (; k + 8 <= dimension; k += 8) {
      int b = base + k;
      float d0 = tails[b] - x[k];
      float d1 = tails[b + 1] - x[k + 1];
      float d2 = tails[b + 2] - x[k + 2];
      float d3 = tails[b + 3] - x[k + 3];
      float d4 = tails[b + 4] - x[k + 4];
      float d5 = tails[b + 5] - x[k + 5];
      float d6 = tails[b + 6] - x[k + 6];
      float d7 = tails[b + 7] - x[k + 7];
      sum += d0 * d0;
      sum += d1 * d1;
      sum += d2 * d2;
      sum += d3 * d3;
      sum += d4 * d4;
      sum += d5 * d5;
      sum += d6 * d6;
      sum += d7 * d7;
      if (sum > limit) {
        return sum;
      }
    }
    for (; k < dimension; k++) {
      float diff = tails[base + k] - x[k];
      sum += diff * diff;
    }
    return sum;
  }

  /**
   * Adds {@code (b_k - x_k)²} over coordinates {@code from ≤ k < to}, in ascending k, to
   * {@code sum[m]} for the bank patches {@code m} in {@code [start, end)}. Four coordinates go
   * through each pass, so {@code sum} is loaded and stored once per four. The additions into
   * each {@code sum[m]} keep their order, so the float sums equal those of {@link #complete}.
   */
  private void accumulate(float[] x, int from, int to, int start, int end, float[] sum) {
    int k = from;
    for (; k + 4 <= to; k += 4) {
      float x0 = x[k];
      float x1 = x[k + 1];
      float x2 = x[k + 2];
      float x3 = x[k + 3];
      float[] r0 = byDimension[k];
      float[] r1 = byDimension[k + 1];
      float[] r2 = byDimension[k + 2];
      float[] r3 = byDimension[k + 3];
      for (int m = start; m < end; m++) {
        float d0 = r0[m] - x0;
        float d1 = r1[m] - x1;
        float d2 = r2[m] - x2;
        float d3 = r3[m] - x3;
        float s = sum[m];
        s += d0 * d0;
        s += d1 * d1;
        s += d2 * d2;
        s += d3 * d3;
        sum[m] = s;
      }
    }
    for (; k < to; k++) {
      float xk = x[k];
      float[] row = byDimension[k];
      for (int m = start; m < end; m++) {
        float diff = row[m] - xk;
        sum[m] += diff * diff;
      }
    }
  }

  /** Returns the Euclidean distance, in double precision, of a query to bank patch {@code m}. */
  double distance(float[] queries, int offset, int m) {
    return BankNeighbours.distance(bank, dimension, queries, offset, m);
  }

  /**
   * Returns the {@code count} bank patches nearest to bank patch {@code m}, nearest first and
   * ties by index, so {@code m} itself comes first unless the bank contains exact copies of it
   * at lower indices. {@code count} is capped at the bank size.
   */
  int[] neighboursOf(int m, int count) {
    return neighbours.of(m, count);
  }
}
