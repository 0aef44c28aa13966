package org.flawmap.threshold;

import java.util.List;
import java.util.Locale;

/**
 * {@code normal-stats}: threshold {@code t = mean + k * std} of the scores of normal validation
 * pixels (all pixels of the normal validation images), with the population standard deviation
 * {@code std = sqrt(sum (s - mean)^2 / N)}, computed in double and rounded to the nearest float.
 *
 * <p>Needs no anomalous image, which makes it the fallback of {@code f1}, {@code iou-curve} and
 * {@code roc}. Without a normal validation image it uses the defect-free pixels of the anomalous
 * images instead, with a warning, because those pixels often score higher near defects. The
 * criterion value is the share of the pixels used that score at or above {@code t}.
 */
public final class NormalStatsEstimator implements ThresholdEstimator {

  private final double k;

  public NormalStatsEstimator(ThresholdOptions options) {
    this.k = options.k();
  }

  @Override
  public String name() {
    return ThresholdEstimators.NORMAL_STATS;
  }

  @Override
  public ThresholdResult estimate(List<ValidationImage> validation) {
    return estimate(ValidationData.of(validation), name());
  }

  ThresholdResult estimate(ValidationData data, String requested) {
    float[] pixels = NormalPixels.select(data, name());

    double sum = 0;
    for (float v : pixels) {
      sum += v;
    }
    double mean = sum / pixels.length;
    double squares = 0;
    for (float v : pixels) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(squares / pixels.length);
    float threshold = (float) (mean + k * std);

    String criterion =
        String.format(
            Locale.ROOT,
            "normal-pixel FPR at mean + k·std (k=%s, mean=%.6g, std=%.6g)",
            k,
            mean,
            std);
    double fpr = NormalPixels.shareAtOrAbove(pixels, threshold);
    return new ThresholdResult(requested, name(), threshold, criterion, fpr, data.warnings, null);
  }

  /**
   * Runs {@code normal-stats} in place of {@code requested}, which needs anomalous validation
   * images with defect pixels, and records the fallback as a warning.
   */
  static ThresholdResult fallBack(String requested, ValidationData data, ThresholdOptions options) {
    data.warn(
        "%s needs anomalous validation images with defect pixels in their masks, but the %s;"
                .formatted(requested, data.describe())
            + " fell back to normal-stats (mean + %s·std of normal pixels). Add anomalous"
                .formatted(options.k())
            + " validation images with ground-truth masks to use %s".formatted(requested));
    return new NormalStatsEstimator(options).estimate(data, requested);
  }
}
