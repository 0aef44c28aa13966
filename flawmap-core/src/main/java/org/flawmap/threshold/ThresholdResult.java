package org.flawmap.threshold;

import java.util.List;
import org.flawmap.metrics.Curve;

/**
 * An estimated pixel threshold with what it achieved on the validation set.
 *
 * @param requestedEstimator the estimator that was asked for
 * @param estimator the estimator that produced the threshold, which differs from {@code
 *     requestedEstimator} after a fallback
 * @param threshold pixel threshold, where {@code score >= threshold} is predicted anomalous
 * @param criterion what {@code criterionValue} measures, for example {@code pixel F1}
 * @param criterionValue the criterion reached on the validation set at {@code threshold}
 * @param warnings fallbacks and data problems, each with what to add or fix, or empty
 * @param curve the criterion against candidate thresholds (x = threshold), or null for methods
 *     without a sweep
 */
public record ThresholdResult(
    String requestedEstimator,
    String estimator,
    float threshold,
    String criterion,
    double criterionValue,
    List<String> warnings,
    Curve curve) {

  public ThresholdResult {
    warnings = List.copyOf(warnings);
  }

  /** Returns whether the requested estimator fell back to another one. */
  public boolean fellBack() {
    return !requestedEstimator.equals(estimator);
  }
}
