package org.flawmap.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The value of one metric, with an interval that contains its exact value and, when the metric is
 * undefined, the reason.
 *
 * <p>Histogram-based metrics treat the scores of one bin as tied. {@code lowerBound} and {@code
 * upperBound} bound the value the metric would have with every score kept apart (exact sorting).
 * Both equal {@code value} when the metric is exact.
 *
 * @param name metric name as reports print it, for example {@code pixel AUROC}
 * @param value the metric, or NaN when undefined
 * @param lowerBound smallest possible exact value, NaN when undefined
 * @param upperBound largest possible exact value, NaN when undefined
 * @param undefinedReason why the metric is undefined and what input would define it, or null
 */
public record MetricValue(
    String name, double value, double lowerBound, double upperBound, String undefinedReason) {

  private static final Logger LOG = LoggerFactory.getLogger(MetricValue.class);

  /** Creates an exact value. */
  public static MetricValue exact(String name, double value) {
    return new MetricValue(name, value, value, value, null);
  }

  /** Creates a value whose exact counterpart lies in {@code [lower, upper]}. */
  public static MetricValue bounded(String name, double value, double lower, double upper) {
    return new MetricValue(name, value, Math.min(lower, value), Math.max(upper, value), null);
  }

  /** Creates an undefined (NaN) value and logs a WARN naming the metric and the reason. */
  public static MetricValue undefined(String name, String reason) {
    LOG.warn("{} is undefined (NaN): {}", name, reason);
    return new MetricValue(name, Double.NaN, Double.NaN, Double.NaN, reason);
  }

  public boolean isDefined() {
    return undefinedReason == null;
  }

  /**
   * Returns the largest distance between {@code value} and the exact value allowed by the bounds: 0
   * for an exact metric, NaN when undefined.
   */
  public double tieBound() {
    return Math.max(value - lowerBound, upperBound - value);
  }

  @Override
  public String toString() {
    if (!isDefined()) {
      return name + " = NaN (" + undefinedReason + ")";
    }
    return tieBound() == 0 ? name + " = " + value : name + " = " + value + " ± " + tieBound();
  }
}
