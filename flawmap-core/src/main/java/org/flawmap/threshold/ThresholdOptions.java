package org.flawmap.threshold;

import java.util.List;
import java.util.Map;

/**
 * Options of the threshold estimators, validated here in one place. Each estimator reads only the
 * options it uses.
 *
 * @param k {@code normal-stats} multiplier of the standard deviation, finite and >= 0 (default 3)
 * @param quantile {@code normal-quantile} level q in (0, 1] (default 0.99), where 1 means no normal
 *     validation pixel is predicted anomalous
 * @param targetFpr {@code roc} target pixel false positive rate in [0, 1], or null to maximise
 *     Youden's J (default null)
 * @param maxCandidates {@code iou-curve} maximum candidate thresholds per pass, 2 to 2^20 (default
 *     4096)
 */
public record ThresholdOptions(double k, double quantile, Double targetFpr, int maxCandidates) {

  public static final double DEFAULT_K = 3.0;
  public static final double DEFAULT_QUANTILE = 0.99;
  public static final int DEFAULT_MAX_CANDIDATES = 4096;

  /** Option names accepted by {@link #parse}. */
  public static final List<String> NAMES = List.of("k", "quantile", "target-fpr", "max-candidates");

  public ThresholdOptions {
    if (!(Double.isFinite(k) && k >= 0)) {
      throw invalid("k", k, "use a finite number >= 0, for example 3");
    }
    if (!(quantile > 0 && quantile <= 1)) {
      throw invalid("quantile", quantile, "use a value in (0, 1], for example 0.99");
    }
    if (targetFpr != null && !(targetFpr >= 0 && targetFpr <= 1)) {
      throw invalid("target-fpr", targetFpr, "use a value in [0, 1], for example 0.01");
    }
    if (maxCandidates < 2 || maxCandidates > (1 << 20)) {
      throw invalid("max-candidates", maxCandidates, "use an integer from 2 to 1048576");
    }
  }

  public static ThresholdOptions defaults() {
    return new ThresholdOptions(DEFAULT_K, DEFAULT_QUANTILE, null, DEFAULT_MAX_CANDIDATES);
  }

  /**
   * Parses options from {@code name=value} pairs, for example from the command line. Missing
   * options keep their defaults.
   *
   * @throws IllegalArgumentException on an unknown name (the message lists {@link #NAMES}), a value
   *     that is not a number, or a value out of range
   */
  public static ThresholdOptions parse(Map<String, String> options) {
    ThresholdOptions parsed = defaults();
    for (Map.Entry<String, String> option : options.entrySet()) {
      String name = option.getKey();
      String value = option.getValue().trim();
      parsed =
          switch (name) {
            case "k" -> parsed.withK(parseDouble(name, value));
            case "quantile" -> parsed.withQuantile(parseDouble(name, value));
            case "target-fpr" -> parsed.withTargetFpr(parseDouble(name, value));
            case "max-candidates" -> parsed.withMaxCandidates(parseInt(name, value));
            default ->
                throw new IllegalArgumentException(
                    "unknown threshold option '%s'; valid options: %s".formatted(name, NAMES));
          };
    }
    return parsed;
  }

  public ThresholdOptions withK(double newK) {
    return new ThresholdOptions(newK, quantile, targetFpr, maxCandidates);
  }

  public ThresholdOptions withQuantile(double newQuantile) {
    return new ThresholdOptions(k, newQuantile, targetFpr, maxCandidates);
  }

  /** Returns these options with a target FPR for {@code roc}, or null for Youden's J. */
  public ThresholdOptions withTargetFpr(Double newTargetFpr) {
    return new ThresholdOptions(k, quantile, newTargetFpr, maxCandidates);
  }

  public ThresholdOptions withMaxCandidates(int newMaxCandidates) {
    return new ThresholdOptions(k, quantile, targetFpr, newMaxCandidates);
  }

  private static double parseDouble(String name, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw invalid(name, value, "use a number");
    }
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(name, value, "use an integer");
    }
  }

  private static IllegalArgumentException invalid(String name, Object value, String fix) {
    return new IllegalArgumentException(
        "invalid threshold option %s=%s: %s".formatted(name, value, fix));
  }
}
