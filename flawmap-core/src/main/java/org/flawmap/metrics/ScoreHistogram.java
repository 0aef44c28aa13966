package org.flawmap.metrics;

import java.util.Arrays;

/**
 * Streaming histogram of float scores that needs no known score range.
 *
 * <p>The bin of a score comes from its bit pattern. {@link #keyOf} maps a float to an int that
 * sorts like the float (non-negative floats keep their bits, negative floats become the negated
 * magnitude bits, and -0.0 joins +0.0). Dropping the low {@code 23 - m} bits of that key, where
 * {@code m} is the number of mantissa bits kept, gives the bin. A bin is therefore a set of
 * same-sign floats with the same exponent and the same top {@code m} mantissa bits, so its relative
 * width is {@code 2^-m} (about 6.1e-5 for the default {@code m = 14}).
 *
 * <p>Bins live in pages of 4096 that are allocated when the first score falls in them, so memory
 * grows only with the score range actually used: a page costs 32 KiB of counts, plus 32 KiB once it
 * receives a weight different from its count. Each bin stores a long count and a double weight sum.
 * The weight of a bin equals its count unless {@link #add(float, long, double)} gave other weights.
 *
 * <p>Error bound: every score of a bin is treated as tied with the other scores of that bin. A
 * score is <em>representable</em> when it is the lower edge of its bin, that is when its low {@code
 * 23 - m} mantissa bits are zero. Floats with at most {@code m + 1} significant bits are, such as
 * integers below 2^15 or quarters of small integers for {@code m = 14}. When all scores are
 * representable each bin contains one distinct value and metrics built on the histogram are exact.
 * Otherwise a rank metric can differ from its exact value only through the pairs of scores that
 * share a bin, and {@link MetricValue#lowerBound()} and {@link MetricValue#upperBound()} give that
 * interval for each metric.
 *
 * <p>Not thread-safe: give each thread its own histogram and {@link #merge} them.
 */
public final class ScoreHistogram {

  /** Default number of mantissa bits kept, giving bins of relative width 2^-14. */
  public static final int DEFAULT_MANTISSA_BITS = 14;

  /** Largest supported number of mantissa bits. 21 bits would need a page table of 2^18 entries. */
  public static final int MAX_MANTISSA_BITS = 20;

  private static final int PAGE_BITS = 12;

  private final int mantissaBits;
  private final int shift;
  private final int pageSize;
  private final long[][] counts;
  private final double[][] weights;
  private long totalCount;
  private double totalWeight;
  private boolean allRepresentable = true;

  /** Creates an empty histogram with {@link #DEFAULT_MANTISSA_BITS}. */
  public ScoreHistogram() {
    this(DEFAULT_MANTISSA_BITS);
  }

  /**
   * Creates an empty histogram.
   *
   * @param mantissaBits mantissa bits kept per bin, 0 to {@link #MAX_MANTISSA_BITS}
   */
  public ScoreHistogram(int mantissaBits) {
    if (mantissaBits < 0 || mantissaBits > MAX_MANTISSA_BITS) {
      throw new IllegalArgumentException(
          "invalid histogram mantissa bits %d: use 0 to %d (default %d)"
              .formatted(mantissaBits, MAX_MANTISSA_BITS, DEFAULT_MANTISSA_BITS));
    }
    this.mantissaBits = mantissaBits;
    this.shift = 23 - mantissaBits;
    long binRange = 1L << (32 - shift);
    this.pageSize = (int) Math.min(1L << PAGE_BITS, binRange);
    int pageCount = (int) (binRange / pageSize);
    this.counts = new long[pageCount][];
    this.weights = new double[pageCount][];
  }

  /** Returns a deep copy of {@code source}. */
  public static ScoreHistogram copyOf(ScoreHistogram source) {
    ScoreHistogram copy = new ScoreHistogram(source.mantissaBits);
    copy.merge(source);
    return copy;
  }

  public int mantissaBits() {
    return mantissaBits;
  }

  /**
   * Returns the order-preserving int key of a finite float: for floats {@code a < b} the keys
   * satisfy {@code keyOf(a) < keyOf(b)}, and -0.0 and +0.0 share key 0.
   */
  public static int keyOf(float score) {
    int bits = Float.floatToRawIntBits(score);
    return bits >= 0 ? bits : -(bits & 0x7fffffff);
  }

  /** Returns the float whose key is {@code key}; the inverse of {@link #keyOf} (0 gives +0.0). */
  public static float floatOfKey(int key) {
    return key >= 0 ? Float.intBitsToFloat(key) : -Float.intBitsToFloat(-key);
  }

  /** Returns the bin of a finite score; bins sort like the scores they contain. */
  public int binOf(float score) {
    return keyOf(score) >> shift;
  }

  /**
   * Returns the smallest float of {@code bin}, so that {@code score >= lowerEdge(bin)} is true
   * exactly for the scores of that bin and every higher bin. The edge of the lowest bin is clamped
   * to {@code -Float.MAX_VALUE}, and the edge above the highest finite bin is {@code +Infinity}.
   */
  public float lowerEdge(int bin) {
    long key = (long) bin << shift;
    if (key <= -0x7f7fffffL) {
      return -Float.MAX_VALUE;
    }
    if (key >= 0x7f800000L) {
      return Float.POSITIVE_INFINITY;
    }
    return floatOfKey((int) key);
  }

  /** Returns whether {@code score} is the lower edge of its bin, so it is binned without loss. */
  public boolean isRepresentable(float score) {
    return (keyOf(score) & ((1 << shift) - 1)) == 0;
  }

  /** Adds one score with weight 1. */
  public void add(float score) {
    checkFinite(score);
    allRepresentable &= isRepresentable(score);
    int index = indexOf(score);
    int page = index >>> PAGE_BITS;
    int slot = index & (pageSize - 1);
    long[] pageCounts = countsPage(page);
    pageCounts[slot]++;
    double[] pageWeights = weights[page];
    if (pageWeights != null) {
      pageWeights[slot] += 1.0;
    }
    totalCount++;
    totalWeight += 1.0;
  }

  /** Adds every score of {@code scores} with weight 1. */
  public void addAll(float[] scores) {
    for (float score : scores) {
      add(score);
    }
  }

  /**
   * Adds {@code count} occurrences of {@code score} whose weights sum to {@code weight}.
   *
   * @param count non-negative number of occurrences
   * @param weight finite sum of their weights
   */
  public void add(float score, long count, double weight) {
    checkFinite(score);
    if (count < 0 || !Double.isFinite(weight)) {
      throw new IllegalArgumentException(
          "invalid histogram entry for score %s: count %d must be >= 0 and weight %s finite"
              .formatted(score, count, weight));
    }
    allRepresentable &= isRepresentable(score);
    int index = indexOf(score);
    int page = index >>> PAGE_BITS;
    int slot = index & (pageSize - 1);
    // Allocate the weights before counting, since a new weight page starts from the counts.
    double[] pageWeights = weight != count ? weightsPage(page) : weights[page];
    countsPage(page)[slot] += count;
    if (pageWeights != null) {
      pageWeights[slot] += weight;
    }
    totalCount += count;
    totalWeight += weight;
  }

  /** Adds every bin of {@code other} to this histogram. */
  public void merge(ScoreHistogram other) {
    if (other.mantissaBits != mantissaBits) {
      throw new IllegalArgumentException(
          "cannot merge a histogram with %d mantissa bits into one with %d: use the same setting"
              .formatted(other.mantissaBits, mantissaBits));
    }
    for (int page = 0; page < counts.length; page++) {
      long[] otherCounts = other.counts[page];
      if (otherCounts == null) {
        continue;
      }
      // Merge the weights first, since a new weight page starts from this page's counts.
      double[] otherWeights = other.weights[page];
      if (otherWeights != null || weights[page] != null) {
        double[] pageWeights = weightsPage(page);
        for (int slot = 0; slot < pageSize; slot++) {
          pageWeights[slot] += otherWeights != null ? otherWeights[slot] : otherCounts[slot];
        }
      }
      long[] pageCounts = countsPage(page);
      for (int slot = 0; slot < pageSize; slot++) {
        pageCounts[slot] += otherCounts[slot];
      }
    }
    totalCount += other.totalCount;
    totalWeight += other.totalWeight;
    allRepresentable &= other.allRepresentable;
  }

  public long totalCount() {
    return totalCount;
  }

  public double totalWeight() {
    return totalWeight;
  }

  /**
   * Returns whether every score added so far was {@linkplain #isRepresentable representable}, so
   * that each bin contains only equal scores and metrics built on this histogram are exact.
   */
  public boolean allScoresRepresentable() {
    return allRepresentable;
  }

  /** Returns the number of bins with a non-zero count or weight. */
  public int occupiedBins() {
    int occupied = 0;
    for (int page = 0; page < counts.length; page++) {
      if (counts[page] == null) {
        continue;
      }
      for (int slot = 0; slot < pageSize; slot++) {
        if (isOccupied(page, slot)) {
          occupied++;
        }
      }
    }
    return occupied;
  }

  /** Returns the number of allocated pages, each {@code 4096} bins (for memory reports). */
  public int allocatedPages() {
    int allocated = 0;
    for (long[] page : counts) {
      if (page != null) {
        allocated++;
      }
    }
    return allocated;
  }

  /** Calls {@code visitor} for every occupied bin, from the highest scores to the lowest. */
  public void forEachDescending(BinVisitor visitor) {
    for (int page = counts.length - 1; page >= 0; page--) {
      if (counts[page] == null) {
        continue;
      }
      for (int slot = pageSize - 1; slot >= 0; slot--) {
        if (isOccupied(page, slot)) {
          int bin = binOfIndex(page, slot);
          visitor.visit(bin, lowerEdge(bin), count(page, slot), weight(page, slot));
        }
      }
    }
  }

  /** Receiver of one occupied bin in {@link #forEachDescending}. */
  @FunctionalInterface
  public interface BinVisitor {
    void visit(int bin, float lowerEdge, long count, double weight);
  }

  // Package-private accessors used by AlignedBins to walk several histograms in step.

  int pageCount() {
    return counts.length;
  }

  int pageSize() {
    return pageSize;
  }

  boolean hasPage(int page) {
    return counts[page] != null;
  }

  boolean isOccupied(int page, int slot) {
    return counts[page][slot] != 0 || (weights[page] != null && weights[page][slot] != 0);
  }

  long count(int page, int slot) {
    return counts[page][slot];
  }

  double weight(int page, int slot) {
    return weights[page] != null ? weights[page][slot] : counts[page][slot];
  }

  int binOfIndex(int page, int slot) {
    long index = ((long) page << PAGE_BITS) + slot;
    return (int) (index - (1L << (31 - shift)));
  }

  private int indexOf(float score) {
    return (int) ((long) binOf(score) + (1L << (31 - shift)));
  }

  private long[] countsPage(int page) {
    if (counts[page] == null) {
      counts[page] = new long[pageSize];
    }
    return counts[page];
  }

  private double[] weightsPage(int page) {
    if (weights[page] == null) {
      long[] pageCounts = countsPage(page);
      double[] pageWeights = new double[pageSize];
      for (int slot = 0; slot < pageSize; slot++) {
        pageWeights[slot] = pageCounts[slot];
      }
      weights[page] = pageWeights;
    }
    return weights[page];
  }

  /**
   * Throws {@link IllegalArgumentException} when {@code score} is NaN or infinite, because such a
   * score has no rank.
   */
  static void checkFinite(float score) {
    if (!Float.isFinite(score)) {
      throw new IllegalArgumentException(
          "anomaly score %s is not finite: metrics and thresholds need finite scores, so fix the"
                  .formatted(score)
              + " model output (for example a zero variance in a Gaussian model) or clamp scores");
    }
  }

  @Override
  public String toString() {
    return "ScoreHistogram[mantissaBits=%d, count=%d, pages=%d]"
        .formatted(mantissaBits, totalCount, allocatedPages());
  }

  /**
   * Returns the counts of the occupied bins in descending score order (for tests and debugging).
   */
  long[] countsDescending() {
    long[] out = new long[occupiedBins()];
    int[] position = {0};
    forEachDescending((bin, edge, count, weight) -> out[position[0]++] = count);
    return Arrays.copyOf(out, position[0]);
  }
}
