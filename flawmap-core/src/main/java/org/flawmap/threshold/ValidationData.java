package org.flawmap.threshold;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.metrics.ScoreHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validation set split into the pixel populations the estimators use, checked once.
 *
 * <ul>
 *   <li>positives: defect pixels of anomalous images with a non-empty mask.
 *   <li>negatives: the other pixels of those images plus all pixels of normal images.
 *   <li>normal pixels: all pixels of normal images, kept in memory for exact statistics.
 * </ul>
 *
 * Anomalous images without defect pixels in a mask contribute to no population, since their pixels
 * have unknown labels. Each such image gets a warning.
 */
final class ValidationData {

  private static final Logger LOG = LoggerFactory.getLogger(ValidationData.class);

  final ScoreHistogram positives = new ScoreHistogram();
  final ScoreHistogram negatives = new ScoreHistogram();
  final float[] normalPixels;
  final float[] defectImageNegativePixels;
  final List<ValidationImage> defectImages = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  final int imageCount;
  final int normalImageCount;

  private ValidationData(List<ValidationImage> validation) {
    imageCount = validation.size();
    int normalCount = 0;
    long normalPixelCount = 0;
    long defectNegativeCount = 0;
    for (ValidationImage image : validation) {
      if (!image.anomalous()) {
        normalCount++;
        normalPixelCount += image.anomalyMap().values().length;
      } else if (image.hasDefectPixels()) {
        defectImages.add(image);
        defectNegativeCount += image.anomalyMap().values().length - image.gtMask().countDefective();
      } else {
        warn(
            "validation image %s is anomalous but has no defect pixels in a mask, so it was left"
                    .formatted(image.imageId())
                + " out; add its ground-truth mask to use it");
      }
    }
    normalImageCount = normalCount;
    normalPixels = new float[Math.toIntExact(normalPixelCount)];
    defectImageNegativePixels = new float[Math.toIntExact(defectNegativeCount)];

    int normalOffset = 0;
    int defectOffset = 0;
    for (ValidationImage image : validation) {
      float[] values = image.anomalyMap().values();
      if (!image.anomalous()) {
        System.arraycopy(values, 0, normalPixels, normalOffset, values.length);
        normalOffset += values.length;
        negatives.addAll(values);
      } else if (image.hasDefectPixels()) {
        boolean[] mask = image.gtMask().pixels();
        for (int p = 0; p < values.length; p++) {
          if (mask[p]) {
            positives.add(values[p]);
          } else {
            negatives.add(values[p]);
            defectImageNegativePixels[defectOffset++] = values[p];
          }
        }
      }
    }
  }

  /**
   * Splits and checks {@code validation}.
   *
   * @throws IllegalArgumentException when it is empty or every pixel has the same score
   */
  static ValidationData of(List<ValidationImage> validation) {
    if (validation.isEmpty()) {
      throw new IllegalArgumentException(
          "the validation set is empty; threshold estimation needs validation images (normal"
              + " images, and anomalous images with masks for f1, iou-curve and roc)");
    }
    checkNotConstant(validation);
    return new ValidationData(validation);
  }

  boolean hasPositives() {
    return positives.totalCount() > 0;
  }

  /** Adds a warning to the result and logs it at WARN. */
  void warn(String warning) {
    LOG.warn(warning);
    warnings.add(warning);
  }

  String describe() {
    return "%d validation images: %d normal, %d anomalous with defect pixels"
        .formatted(imageCount, normalImageCount, defectImages.size());
  }

  private static void checkNotConstant(List<ValidationImage> validation) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    long pixels = 0;
    for (ValidationImage image : validation) {
      for (float v : image.anomalyMap().values()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      pixels += image.anomalyMap().values().length;
    }
    if (min == max) {
      throw new IllegalArgumentException(
          "all %d pixels of the %d validation anomaly maps have score %s, so no threshold can"
                  .formatted(pixels, validation.size(), min)
              + " separate them; check the model output (for example an unfitted model or a"
              + " backbone that returns constant features)");
    }
  }
}
