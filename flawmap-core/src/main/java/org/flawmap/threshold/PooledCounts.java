package org.flawmap.threshold;

import org.flawmap.metrics.AlignedBins;
import org.flawmap.metrics.Curve;

/**
 * Cumulative positive and negative pixel counts of the validation set at every occupied histogram
 * bin, from the highest threshold down. At index {@code i} the threshold is the bin's lower edge,
 * and {@code tp[i]} and {@code fp[i]} count the pixels with {@code score >= thresholds[i]} exactly
 * (bin resolution, see {@link org.flawmap.metrics.ScoreHistogram}).
 */
final class PooledCounts {

  final float[] thresholds;
  final long[] tp;
  final long[] fp;
  final long positives;
  final long negatives;

  private PooledCounts(AlignedBins bins) {
    int n = bins.size();
    thresholds = new float[n];
    tp = new long[n];
    fp = new long[n];
    long tpSum = 0;
    long fpSum = 0;
    for (int i = 0; i < n; i++) {
      tpSum += bins.count(0, i);
      fpSum += bins.count(1, i);
      thresholds[i] = bins.lowerEdge(i);
      tp[i] = tpSum;
      fp[i] = fpSum;
    }
    positives = tpSum;
    negatives = fpSum;
  }

  static PooledCounts of(ValidationData data) {
    return new PooledCounts(AlignedBins.of(data.positives, data.negatives));
  }

  int size() {
    return thresholds.length;
  }

  /**
   * Returns the index of the largest value, taking the highest threshold (lowest index) among equal
   * values.
   */
  static int argMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Builds the curve (threshold, value) in ascending threshold order, downsampled for reports. */
  static Curve curve(String yLabel, float[] descendingThresholds, double[] values) {
    int n = values.length;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = descendingThresholds[n - 1 - i];
      y[i] = values[n - 1 - i];
    }
    return new Curve("threshold", yLabel, x, y, x.clone()).downsample(Curve.DEFAULT_MAX_POINTS);
  }
}
