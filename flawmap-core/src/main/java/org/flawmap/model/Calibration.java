package org.flawmap.model;

/**
 * The calibration stored with a fitted model: the thresholds set on validation data and the
 * score normalisation used for heat maps and normalised scores.
 *
 * @param pixelThreshold a pixel is predicted defective when its score is at least this
 * @param imageThreshold an image is predicted anomalous when its image score is at least this
 * @param estimator name of the threshold estimator that set {@code pixelThreshold}
 * @param normMin smallest validation pixel score, mapped to 0 by {@link #normalise}
 * @param normMax largest validation pixel score
 */
public record Calibration(
    double pixelThreshold, double imageThreshold, String estimator, double normMin,
    double normMax) {

  public Calibration {
    if (!Double.isFinite(pixelThreshold) || !Double.isFinite(imageThreshold)) {
      throw new IllegalArgumentException(
          "thresholds must be finite, found pixel %s and image %s"
              .formatted(pixelThreshold, imageThreshold));
    }
    if (!(normMax > normMin)) {
      throw new IllegalArgumentException(
          "normalisation range must not be empty, found [%s, %s]".formatted(normMin, normMax));
    }
  }

  /**
   * Maps a raw score to [0, 1] so that the pixel threshold lands on 0.5:
   * {@code clamp((s - t) / (max - min) + 0.5, 0, 1)}, the min-max scheme anomalib also uses.
   */
  public double normalise(double score) {
    double v = (score - pixelThreshold) / (normMax - normMin) + 0.5;
    return Math.min(1.0, Math.max(0.0, v));
  }
}
