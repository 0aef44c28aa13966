package org.flawmap.threshold;

import java.util.List;

/** Estimator of a pixel threshold from the validation set's anomaly maps and masks. */
public interface ThresholdEstimator {

  /** Returns the registry name, for example {@code iou-curve}. */
  String name();

  /**
   * Estimates the pixel threshold. Pixels with {@code score >= threshold} are predicted anomalous.
   *
   * @param validation validation images, at least one
   * @throws IllegalArgumentException when the validation set is empty, every validation pixel has
   *     the same score, or no pixel is usable for the criterion or its fallback
   */
  ThresholdResult estimate(List<ValidationImage> validation);
}
