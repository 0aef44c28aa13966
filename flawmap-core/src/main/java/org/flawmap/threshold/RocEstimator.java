package org.flawmap.threshold;

import java.util.List;
import org.flawmap.metrics.AlignedBins;

/**
 * {@code roc}: a threshold on the pixel ROC curve of the pooled validation pixels, in one of two
 * modes.
 *
 * <ul>
 *   <li>Without a target FPR: the threshold that maximises Youden's {@code J = TPR - FPR}, with
 *       {@code TPR = TP / P} and {@code FPR = FP / N} over all validation pixels. Among equal J the
 *       highest threshold wins. Without a defect pixel in the validation masks it falls back to
 *       {@code normal-stats} with a warning.
 *   <li>With {@code target-fpr}: the lowest candidate threshold whose {@code FPR <= target}. This
 *       needs only negative pixels, so it runs without anomalous images, and the criterion value is
 *       the FPR reached.
 * </ul>
 *
 * <p>Candidates are the lower edges of all occupied histogram bins (exact for representable scores,
 * see {@link org.flawmap.metrics.ScoreHistogram}). In target mode, when even the highest bin
 * exceeds the target, the threshold is the edge above the highest bin, at which no validation pixel
 * is predicted. The curve is J, or FPR in target mode, against the threshold.
 */
public final class RocEstimator implements ThresholdEstimator {

  private final ThresholdOptions options;

  public RocEstimator(ThresholdOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return ThresholdEstimators.ROC;
  }

  @Override
  public ThresholdResult estimate(List<ValidationImage> validation) {
    ValidationData data = ValidationData.of(validation);
    if (options.targetFpr() != null) {
      return atTargetFpr(data, options.targetFpr());
    }
    if (!data.hasPositives()) {
      return NormalStatsEstimator.fallBack(name(), data, options);
    }

    PooledCounts counts = PooledCounts.of(data);
    double[] youden = new double[counts.size()];
    for (int i = 0; i < counts.size(); i++) {
      double tpr = (double) counts.tp[i] / counts.positives;
      double fpr = counts.negatives == 0 ? 0 : (double) counts.fp[i] / counts.negatives;
      youden[i] = tpr - fpr;
    }
    int best = PooledCounts.argMax(youden);
    if (youden[best] <= 0) {
      data.warn(
          "roc: the best Youden's J on validation pixels is %s <= 0, so the anomaly scores do not"
                  .formatted(youden[best])
              + " separate defect pixels from normal ones; check the model and the masks");
    }

    return new ThresholdResult(
        name(),
        name(),
        counts.thresholds[best],
        "Youden's J (pixel TPR - FPR)",
        youden[best],
        data.warnings,
        PooledCounts.curve("Youden's J", counts.thresholds, youden));
  }

  private ThresholdResult atTargetFpr(ValidationData data, double target) {
    PooledCounts counts = PooledCounts.of(data);
    if (counts.negatives == 0) {
      throw new IllegalArgumentException(
          "roc with target-fpr=%s needs negative validation pixels, but the %s and every pixel"
                  .formatted(target, data.describe())
              + " is a defect pixel; add normal validation images");
    }

    // FPR grows as the threshold falls, so the last index within the target is the lowest one.
    double[] fpr = new double[counts.size()];
    int chosen = -1;
    for (int i = 0; i < counts.size(); i++) {
      fpr[i] = (double) counts.fp[i] / counts.negatives;
      if (fpr[i] <= target) {
        chosen = i;
      }
    }
    float threshold;
    double reached;
    if (chosen >= 0) {
      threshold = counts.thresholds[chosen];
      reached = fpr[chosen];
    } else {
      threshold = aboveMaximum(data);
      reached = 0;
      data.warn(
          "roc: even the highest validation score gives an FPR above target-fpr=%s, so the"
                  .formatted(target)
              + " threshold %s predicts no validation pixel; raise target-fpr"
                  .formatted(threshold));
    }

    String criterion = "pixel FPR, target <= %s".formatted(target);
    return new ThresholdResult(
        name(),
        name(),
        threshold,
        criterion,
        reached,
        data.warnings,
        PooledCounts.curve("pixel FPR", counts.thresholds, fpr));
  }

  private static float aboveMaximum(ValidationData data) {
    return AlignedBins.of(data.positives, data.negatives).edgeAboveMaximum();
  }
}
