package org.flawmap.metrics;

/**
 * The occupied bins of several histograms with the same mantissa bits, aligned on the union of
 * their bins and ordered from the highest scores to the lowest. Index 0 is the highest bin.
 *
 * <p>Rank metrics and threshold sweeps walk this table once: at index {@code i} the threshold
 * {@link #lowerEdge(int) lowerEdge(i)} predicts exactly the scores of bins {@code 0..i} as
 * anomalous under the {@code score >= threshold} rule.
 */
public final class AlignedBins {

  private final int[] bins;
  private final float[] lowerEdges;
  private final long[][] counts;
  private final double[][] weights;
  private final long[] totalCounts;
  private final float edgeAboveMaximum;
  private final boolean exact;

  private AlignedBins(
      int[] bins,
      float[] lowerEdges,
      long[][] counts,
      double[][] weights,
      float edgeAboveMaximum,
      boolean exact) {
    this.bins = bins;
    this.lowerEdges = lowerEdges;
    this.counts = counts;
    this.weights = weights;
    this.edgeAboveMaximum = edgeAboveMaximum;
    this.exact = exact;
    this.totalCounts = new long[counts.length];
    for (int h = 0; h < counts.length; h++) {
      for (long count : counts[h]) {
        totalCounts[h] += count;
      }
    }
  }

  /** Aligns {@code histograms}, which must all use the same mantissa bits. */
  public static AlignedBins of(ScoreHistogram... histograms) {
    if (histograms.length == 0) {
      throw new IllegalArgumentException("AlignedBins.of needs at least one histogram");
    }
    ScoreHistogram first = histograms[0];
    for (ScoreHistogram histogram : histograms) {
      if (histogram.mantissaBits() != first.mantissaBits()) {
        throw new IllegalArgumentException(
            "cannot align histograms with %d and %d mantissa bits: use the same setting"
                .formatted(first.mantissaBits(), histogram.mantissaBits()));
      }
    }

    int size = countUnion(histograms);
    int[] bins = new int[size];
    float[] lowerEdges = new float[size];
    long[][] counts = new long[histograms.length][size];
    double[][] weights = new double[histograms.length][size];
    boolean exact = true;
    for (ScoreHistogram histogram : histograms) {
      exact &= histogram.allScoresRepresentable();
    }

    int i = 0;
    for (int page = first.pageCount() - 1; page >= 0; page--) {
      if (!anyHasPage(histograms, page)) {
        continue;
      }
      for (int slot = first.pageSize() - 1; slot >= 0; slot--) {
        if (!anyOccupied(histograms, page, slot)) {
          continue;
        }
        bins[i] = first.binOfIndex(page, slot);
        lowerEdges[i] = first.lowerEdge(bins[i]);
        for (int h = 0; h < histograms.length; h++) {
          if (histograms[h].hasPage(page)) {
            counts[h][i] = histograms[h].count(page, slot);
            weights[h][i] = histograms[h].weight(page, slot);
          }
        }
        i++;
      }
    }

    float above = size == 0 ? Float.NaN : first.lowerEdge(bins[0] + 1);
    return new AlignedBins(bins, lowerEdges, counts, weights, above, exact);
  }

  /** Returns the number of aligned bins. */
  public int size() {
    return bins.length;
  }

  /** Returns the bin number at index {@code i}, as {@link ScoreHistogram#binOf} numbers it. */
  public int bin(int i) {
    return bins[i];
  }

  /** Returns the smallest score of the bin at index {@code i}. */
  public float lowerEdge(int i) {
    return lowerEdges[i];
  }

  /** Returns the count of histogram {@code h} (in the order given to {@link #of}) at index i. */
  public long count(int h, int i) {
    return counts[h][i];
  }

  /** Returns the weight sum of histogram {@code h} at index {@code i}. */
  public double weight(int h, int i) {
    return weights[h][i];
  }

  /** Returns the total count of histogram {@code h}. */
  public long totalCount(int h) {
    return totalCounts[h];
  }

  /**
   * Returns the lower edge of the bin just above the highest occupied bin: the threshold at which
   * no score is predicted anomalous. NaN when there are no bins.
   */
  public float edgeAboveMaximum() {
    return edgeAboveMaximum;
  }

  /** Returns whether every bin contains only equal scores, so that metrics on it are exact. */
  public boolean exact() {
    return exact;
  }

  private static int countUnion(ScoreHistogram[] histograms) {
    int size = 0;
    ScoreHistogram first = histograms[0];
    for (int page = 0; page < first.pageCount(); page++) {
      if (!anyHasPage(histograms, page)) {
        continue;
      }
      for (int slot = 0; slot < first.pageSize(); slot++) {
        if (anyOccupied(histograms, page, slot)) {
          size++;
        }
      }
    }
    return size;
  }

  private static boolean anyHasPage(ScoreHistogram[] histograms, int page) {
    for (ScoreHistogram histogram : histograms) {
      if (histogram.hasPage(page)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyOccupied(ScoreHistogram[] histograms, int page, int slot) {
    for (ScoreHistogram histogram : histograms) {
      if (histogram.hasPage(page) && histogram.isOccupied(page, slot)) {
        return true;
      }
    }
    return false;
  }
}
