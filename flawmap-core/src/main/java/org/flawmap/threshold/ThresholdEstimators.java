package org.flawmap.threshold;

import java.util.List;

/** Registry of the threshold estimators by name. */
public final class ThresholdEstimators {

  public static final String F1 = "f1";
  public static final String IOU_CURVE = "iou-curve";
  public static final String NORMAL_STATS = "normal-stats";
  public static final String NORMAL_QUANTILE = "normal-quantile";
  public static final String ROC = "roc";

  /** The recommended estimator: it optimises the per-image overlap that inspection cares about. */
  public static final String DEFAULT = IOU_CURVE;

  private static final List<String> NAMES =
      List.of(F1, IOU_CURVE, NORMAL_STATS, NORMAL_QUANTILE, ROC);

  private ThresholdEstimators() {}

  /** Returns the estimator names in registry order. */
  public static List<String> names() {
    return NAMES;
  }

  /** Returns the estimator {@code name} with default options. */
  public static ThresholdEstimator byName(String name) {
    return byName(name, ThresholdOptions.defaults());
  }

  /**
   * Returns the estimator {@code name} configured with {@code options}.
   *
   * @throws IllegalArgumentException for an unknown name, with a message that lists the valid names
   */
  public static ThresholdEstimator byName(String name, ThresholdOptions options) {
    return switch (name) {
      case F1 -> new F1Estimator(options);
      case IOU_CURVE -> new IouCurveEstimator(options);
      case NORMAL_STATS -> new NormalStatsEstimator(options);
      case NORMAL_QUANTILE -> new NormalQuantileEstimator(options);
      case ROC -> new RocEstimator(options);
      default ->
          throw new IllegalArgumentException(
              "unknown threshold estimator '%s'; valid names: %s (default %s)"
                  .formatted(name, String.join(", ", NAMES), DEFAULT));
    };
  }
}
