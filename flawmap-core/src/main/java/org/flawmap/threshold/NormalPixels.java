package org.flawmap.threshold;

/** Selection of the normal pixels used by {@code normal-stats} and {@code normal-quantile}. */
final class NormalPixels {

  private NormalPixels() {}

  /**
   * Returns the pixels of the normal validation images, or, with a warning, the defect-free pixels
   * of the anomalous images when there is no normal image.
   *
   * @throws IllegalArgumentException when neither exists
   */
  static float[] select(ValidationData data, String estimator) {
    if (data.normalPixels.length > 0) {
      return data.normalPixels;
    }
    if (data.defectImageNegativePixels.length == 0) {
      throw new IllegalArgumentException(
          "%s needs normal validation pixels, but the %s and no defect-free pixel; add normal"
                  .formatted(estimator, data.describe())
              + " validation images");
    }
    data.warn(
        "%s found no normal validation image (%s); it used the %d defect-free pixels of the"
                .formatted(estimator, data.describe(), data.defectImageNegativePixels.length)
            + " anomalous images, which often score higher near defects. Add normal validation"
            + " images");
    return data.defectImageNegativePixels;
  }

  /** Returns the share of {@code pixels} with score >= threshold. */
  static double shareAtOrAbove(float[] pixels, float threshold) {
    long count = 0;
    for (float v : pixels) {
      if (v >= threshold) {
        count++;
      }
    }
    return (double) count / pixels.length;
  }
}
