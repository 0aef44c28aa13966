package org.flawmap.threshold;

import java.util.Arrays;
import java.util.List;

/**
 * {@code normal-quantile}: the threshold at quantile q of the normal validation pixel scores,
 * defined so that at most {@code floor((1 - q) * N)} of the N normal pixels score at or above it.
 * The threshold is the smallest normal pixel score with that property. When no score has it, which
 * is always the case for q = 1, the threshold is {@code Math.nextUp(max)}, so no normal validation
 * pixel is predicted anomalous.
 *
 * <p>Exact: the normal pixels are sorted. {@code (1 - q) * N} gets a tolerance of 1e-9 before the
 * floor so that, for example, q = 0.99 and N = 100 allow one pixel despite rounding. Uses the same
 * normal pixels as {@link NormalStatsEstimator}. The criterion value is the share of normal pixels
 * at or above the threshold.
 */
public final class NormalQuantileEstimator implements ThresholdEstimator {

  private final double quantile;

  public NormalQuantileEstimator(ThresholdOptions options) {
    this.quantile = options.quantile();
  }

  @Override
  public String name() {
    return ThresholdEstimators.NORMAL_QUANTILE;
  }

  @Override
  public ThresholdResult estimate(List<ValidationImage> validation) {
    ValidationData data = ValidationData.of(validation);
    float[] sorted = NormalPixels.select(data, name()).clone();
    Arrays.sort(sorted);
    float threshold = quantileThreshold(sorted, quantile);

    String criterion = "normal-pixel FPR at quantile q=%s".formatted(quantile);
    double fpr = NormalPixels.shareAtOrAbove(sorted, threshold);
    return new ThresholdResult(name(), name(), threshold, criterion, fpr, data.warnings, null);
  }

  /** Returns the threshold defined in the class comment for ascending {@code sorted} scores. */
  static float quantileThreshold(float[] sorted, double quantile) {
    int n = sorted.length;
    long allowed = (long) Math.floor((1 - quantile) * n + 1e-9);
    long first = n - allowed;
    if (first >= n) {
      return Math.nextUp(sorted[n - 1]);
    }

    // sorted[first] qualifies only if its ties do not start before index first.
    int index = (int) first;
    float candidate = sorted[index];
    if (index == 0 || sorted[index - 1] != candidate) {
      return candidate;
    }
    int end = index;
    while (end < n && sorted[end] == candidate) {
      end++;
    }
    return end < n ? sorted[end] : Math.nextUp(sorted[n - 1]);
  }
}
