package org.flawmap.threshold;

import java.util.Objects;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;

/**
 * One validation image for threshold estimation. The constructor validates the input, so an
 * estimator never receives a non-finite score or a mask of the wrong size.
 *
 * @param imageId image name used in messages
 * @param anomalyMap per-pixel scores, all finite
 * @param gtMask ground-truth mask of the map's size, or null (always null or empty for a normal
 *     image). Anomalous images without defect pixels in a mask are left out of pixel criteria.
 * @param anomalous ground-truth image label
 */
public record ValidationImage(
    String imageId, AnomalyMap anomalyMap, Mask gtMask, boolean anomalous) {

  public ValidationImage {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(anomalyMap, "anomalyMap of validation image " + imageId);
    if (gtMask != null
        && (gtMask.width() != anomalyMap.width() || gtMask.height() != anomalyMap.height())) {
      throw new IllegalArgumentException(
          "validation image %s: anomaly map is %d×%d but the mask is %d×%d; resize the map to"
                  .formatted(
                      imageId,
                      anomalyMap.width(),
                      anomalyMap.height(),
                      gtMask.width(),
                      gtMask.height())
              + " the mask size");
    }
    if (!anomalous && gtMask != null && !gtMask.isEmpty()) {
      throw new IllegalArgumentException(
          "validation image %s is labelled normal but its mask has %d defect pixels; fix the"
                  .formatted(imageId, gtMask.countDefective())
              + " label or the mask");
    }
    float[] values = anomalyMap.values();
    for (int p = 0; p < values.length; p++) {
      if (!Float.isFinite(values[p])) {
        throw new IllegalArgumentException(
            "validation image %s: anomaly score %s at pixel (x=%d, y=%d) is not finite; fix the"
                    .formatted(imageId, values[p], p % anomalyMap.width(), p / anomalyMap.width())
                + " model output (for example a singular covariance) before estimating a"
                + " threshold");
      }
    }
  }

  /** Creates a normal validation image. */
  public static ValidationImage normal(String imageId, AnomalyMap anomalyMap) {
    return new ValidationImage(imageId, anomalyMap, null, false);
  }

  /** Creates an anomalous validation image with its ground-truth mask. */
  public static ValidationImage anomalous(String imageId, AnomalyMap anomalyMap, Mask gtMask) {
    return new ValidationImage(imageId, anomalyMap, gtMask, true);
  }

  /** Returns whether the image is anomalous and its mask has at least one defect pixel. */
  public boolean hasDefectPixels() {
    return anomalous && gtMask != null && !gtMask.isEmpty();
  }
}
