package org.flawmap.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;

/**
 * Exact counts at a fixed pixel threshold and image threshold, the figures a deployed inspector
 * would reach. A pixel is predicted anomalous when {@code score >= pixelThreshold}, an image when
 * {@code imageScore >= imageThreshold}.
 *
 * <ul>
 *   <li>Pooled pixel precision, recall, F1 and IoU over all pixels of all images.
 *   <li>Per-image IoU and F1 averaged over the images whose ground-truth mask is non-empty. Images
 *       without defect pixels are excluded because their IoU would be 1 or 0 depending only on
 *       whether any pixel is predicted.
 *   <li>Image-level precision, recall, F1 and accuracy from the image labels.
 *   <li>On normal images: {@link #normalImageFalsePositiveRate()} (image score at or above the
 *       image threshold), {@link #normalImagePixelAlarmRate()} (at least one predicted pixel) and
 *       {@link #normalPixelFalsePositiveRate()} (share of their pixels predicted).
 * </ul>
 *
 * <p>Ratios with a zero denominator follow {@link BinaryCounts}, and means and rates over an empty
 * set of images are undefined {@link MetricValue}s with a reason.
 */
public final class InferenceMetrics {

  /**
   * The decisions for one image.
   *
   * @param anomalous ground-truth image label
   * @param defectPixels number of defect pixels in the ground-truth mask
   * @param predictedAnomalous whether the image score reached the image threshold
   * @param pixelCounts the image's pixel confusion counts at the pixel threshold
   */
  public record ImageResult(
      String imageId,
      boolean anomalous,
      long defectPixels,
      double imageScore,
      boolean predictedAnomalous,
      BinaryCounts pixelCounts) {}

  private final float pixelThreshold;
  private final double imageThreshold;
  private final List<ImageResult> images = new ArrayList<>();

  /**
   * @param pixelThreshold finite pixel threshold
   * @param imageThreshold finite image threshold
   */
  public InferenceMetrics(float pixelThreshold, double imageThreshold) {
    if (!Float.isFinite(pixelThreshold) || !Double.isFinite(imageThreshold)) {
      throw new IllegalArgumentException(
          "invalid thresholds pixel=%s image=%s: both must be finite"
              .formatted(pixelThreshold, imageThreshold));
    }
    this.pixelThreshold = pixelThreshold;
    this.imageThreshold = imageThreshold;
  }

  public float pixelThreshold() {
    return pixelThreshold;
  }

  public double imageThreshold() {
    return imageThreshold;
  }

  /**
   * Adds one image with image score {@code anomalyMap.max()}, labelled anomalous when its mask is
   * non-empty.
   */
  public void add(String imageId, AnomalyMap anomalyMap, Mask gtMask) {
    boolean anomalous = gtMask != null && !gtMask.isEmpty();
    add(imageId, anomalyMap, gtMask, anomalyMap.max(), anomalous);
  }

  /**
   * Adds one image.
   *
   * @param gtMask ground-truth mask of the map's size, or null for a normal image. An anomalous
   *     image without a mask counts all its pixels as negative and is left out of the per-image
   *     means.
   * @param imageScore finite image score
   * @param anomalous ground-truth image label
   * @throws IllegalArgumentException on a non-finite score, a size mismatch, or a normal label with
   *     defect pixels in the mask
   */
  public void add(
      String imageId, AnomalyMap anomalyMap, Mask gtMask, double imageScore, boolean anomalous) {
    checkLabelledImage(imageId, anomalyMap, gtMask, imageScore, anomalous);
    long defectPixels = gtMask == null ? 0 : gtMask.countDefective();
    boolean[] truth = gtMask == null ? null : gtMask.pixels();
    BinaryCounts counts = BinaryCounts.ofPixels(anomalyMap.values(), truth, pixelThreshold);
    boolean predicted = imageScore >= imageThreshold;
    images.add(new ImageResult(imageId, anomalous, defectPixels, imageScore, predicted, counts));
  }

  /**
   * Adds an image at image level only, with no pixel counts: an anomalous image whose mask is
   * empty cannot say where its defect is, so it counts for image precision and recall but not
   * for any pixel metric.
   */
  public void addImageOnly(String imageId, double imageScore, boolean anomalous) {
    if (!Double.isFinite(imageScore)) {
      throw new IllegalArgumentException(
          "image %s: image score %s is not finite; fix the model output before evaluation"
              .formatted(imageId, imageScore));
    }
    boolean predicted = imageScore >= imageThreshold;
    images.add(new ImageResult(imageId, anomalous, 0, imageScore, predicted, BinaryCounts.ZERO));
  }

  /**
   * Throws when the map has a non-finite score, the sizes differ, the image score is not finite or
   * a normal label comes with defect pixels in the mask.
   */
  static void checkLabelledImage(
      String imageId, AnomalyMap anomalyMap, Mask gtMask, double imageScore, boolean anomalous) {
    PixelMetrics.checkImage(imageId, anomalyMap, gtMask);
    if (!Double.isFinite(imageScore)) {
      throw new IllegalArgumentException(
          "image %s: image score %s is not finite; fix the model output before evaluation"
              .formatted(imageId, imageScore));
    }
    if (!anomalous && gtMask != null && !gtMask.isEmpty()) {
      throw new IllegalArgumentException(
          "image %s is labelled normal but its mask has %d defect pixels; fix the label or mask"
              .formatted(imageId, gtMask.countDefective()));
    }
  }

  /** Adds every image of {@code other}, which must use the same thresholds. */
  public void merge(InferenceMetrics other) {
    if (Float.compare(other.pixelThreshold, pixelThreshold) != 0
        || Double.compare(other.imageThreshold, imageThreshold) != 0) {
      throw new IllegalArgumentException(
          "cannot merge inference metrics at thresholds pixel=%s image=%s into pixel=%s image=%s"
              .formatted(
                  other.pixelThreshold, other.imageThreshold, pixelThreshold, imageThreshold));
    }
    images.addAll(other.images);
  }

  public List<ImageResult> images() {
    return Collections.unmodifiableList(images);
  }

  /** Returns the pixel confusion counts pooled over all images. */
  public BinaryCounts pixelCounts() {
    BinaryCounts sum = BinaryCounts.ZERO;
    for (ImageResult image : images) {
      sum = sum.plus(image.pixelCounts());
    }
    return sum;
  }

  public double pixelPrecision() {
    return pixelCounts().precision();
  }

  public double pixelRecall() {
    return pixelCounts().recall();
  }

  public double pixelF1() {
    return pixelCounts().f1();
  }

  public double pixelIou() {
    return pixelCounts().iou();
  }

  /** Returns the mean per-image IoU over images with a non-empty mask. */
  public MetricValue meanImageIou() {
    return meanOverDefectImages("mean per-image IoU", false);
  }

  /** Returns the mean per-image F1 over images with a non-empty mask. */
  public MetricValue meanImageF1() {
    return meanOverDefectImages("mean per-image F1", true);
  }

  /** Returns the image-level confusion counts at the image threshold. */
  public BinaryCounts imageCounts() {
    BinaryCounts counts = BinaryCounts.ZERO;
    for (ImageResult image : images) {
      counts = counts.plus(image.predictedAnomalous(), image.anomalous());
    }
    return counts;
  }

  public double imagePrecision() {
    return imageCounts().precision();
  }

  public double imageRecall() {
    return imageCounts().recall();
  }

  public double imageF1() {
    return imageCounts().f1();
  }

  public double imageAccuracy() {
    return imageCounts().accuracy();
  }

  /** Returns the share of normal images whose image score is at or above the image threshold. */
  public MetricValue normalImageFalsePositiveRate() {
    return rateOverNormalImages(
        "normal-image false positive rate", image -> image.predictedAnomalous() ? 1 : 0);
  }

  /** Returns the share of normal images with at least one pixel at or above the threshold. */
  public MetricValue normalImagePixelAlarmRate() {
    return rateOverNormalImages(
        "normal images with predicted pixels", image -> image.pixelCounts().fp() > 0 ? 1 : 0);
  }

  /** Returns the share of the pixels of normal images at or above the pixel threshold. */
  public MetricValue normalPixelFalsePositiveRate() {
    String name = "normal-pixel false positive rate";
    long pixels = 0;
    long predicted = 0;
    for (ImageResult image : images) {
      if (!image.anomalous()) {
        pixels += image.pixelCounts().total();
        predicted += image.pixelCounts().fp();
      }
    }
    if (pixels == 0) {
      return MetricValue.undefined(name, noNormalImageReason());
    }
    return MetricValue.exact(name, (double) predicted / pixels);
  }

  private MetricValue meanOverDefectImages(String name, boolean f1) {
    double sum = 0;
    int count = 0;
    for (ImageResult image : images) {
      if (image.defectPixels() > 0) {
        sum += f1 ? image.pixelCounts().f1() : image.pixelCounts().iou();
        count++;
      }
    }
    if (count == 0) {
      return MetricValue.undefined(
          name,
          "none of the %d images has defect pixels in its ground-truth mask; add anomalous images"
                  .formatted(images.size())
              + " with masks");
    }
    return MetricValue.exact(name, sum / count);
  }

  private MetricValue rateOverNormalImages(
      String name, java.util.function.ToIntFunction<ImageResult> indicator) {
    int normal = 0;
    int hits = 0;
    for (ImageResult image : images) {
      if (!image.anomalous()) {
        normal++;
        hits += indicator.applyAsInt(image);
      }
    }
    if (normal == 0) {
      return MetricValue.undefined(name, noNormalImageReason());
    }
    return MetricValue.exact(name, (double) hits / normal);
  }

  private String noNormalImageReason() {
    return "none of the %d images is normal; add normal images".formatted(images.size());
  }
}
