package org.flawmap.threshold;

import java.util.List;

/**
 * {@code f1}: the threshold that maximises pixel F1 over all validation pixels pooled, {@code F1(t)
 * = 2 TP / (2 TP + FP + FN)}, where TP, FP and FN count pixels of anomalous images with masks and
 * of normal images with the rule {@code score >= t}.
 *
 * <p>Candidates are the lower edges of all occupied histogram bins, which is exact for scores
 * representable at bin resolution (relative width 2^-14, see {@link
 * org.flawmap.metrics.ScoreHistogram}), and the counts at each candidate are exact. Among equal F1
 * values the highest threshold wins. Without a defect pixel in the validation masks it falls back
 * to {@code normal-stats} with a warning.
 */
public final class F1Estimator implements ThresholdEstimator {

  private final ThresholdOptions options;

  public F1Estimator(ThresholdOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return ThresholdEstimators.F1;
  }

  @Override
  public ThresholdResult estimate(List<ValidationImage> validation) {
    ValidationData data = ValidationData.of(validation);
    if (!data.hasPositives()) {
      return NormalStatsEstimator.fallBack(name(), data, options);
    }

    PooledCounts counts = PooledCounts.of(data);
    double[] f1 = new double[counts.size()];
    for (int i = 0; i < counts.size(); i++) {
      long tp = counts.tp[i];
      long fn = counts.positives - tp;
      f1[i] = 2.0 * tp / (2.0 * tp + counts.fp[i] + fn);
    }
    int best = PooledCounts.argMax(f1);

    return new ThresholdResult(
        name(),
        name(),
        counts.thresholds[best],
        "pixel F1",
        f1[best],
        data.warnings,
        PooledCounts.curve("pixel F1", counts.thresholds, f1));
  }
}
