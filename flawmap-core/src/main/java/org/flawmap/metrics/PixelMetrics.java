package org.flawmap.metrics;

import java.util.HashMap;
import java.util.Map;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.flawmap.dataset.Regions;

/**
 * Streaming accumulator of pixel-level rank metrics: pixel AUROC, pixel average precision and
 * AUPRO, with their ROC and PRO curves.
 *
 * <p>Every pixel of every added image is either positive (inside the ground-truth mask) or
 * negative. Scores go to two {@link ScoreHistogram}s, so memory does not grow with the number of
 * pixels. The positive histogram also carries, per anomalous pixel of a connected region r
 * (8-connected, see {@link Regions}), the weight {@code 1 / area(r)}. The weight above a threshold
 * divided by the region count is then the PRO, the mean over all regions of all images of the share
 * of region pixels with score >= t.
 *
 * <p>Ties: the scores of one histogram bin form one step of each curve, integrated as a trapezoid,
 * so the metrics are exact when all scores are representable at bin resolution (see {@link
 * ScoreHistogram}). Otherwise each {@link MetricValue} carries an interval that contains the exact
 * value.
 *
 * <p>Undefined cases return a NaN {@link MetricValue} with a reason and log a WARN: AUROC needs a
 * positive and a negative pixel, average precision a positive pixel, and AUPRO a region and a
 * negative pixel. With no negative pixel average precision is 1, as every prediction is correct.
 *
 * <p>Not thread-safe: use one instance per thread and {@link #merge}.
 */
public final class PixelMetrics {

  /** Default false-positive-rate limit of AUPRO, as in the MVTec AD evaluation. */
  public static final double DEFAULT_FPR_LIMIT = 0.3;

  private final ScoreHistogram positives;
  private final ScoreHistogram negatives;
  private int regionCount;
  private int imageCount;
  private final Map<String, MetricValue> cache = new HashMap<>();

  /** Creates an empty accumulator with the default histogram resolution. */
  public PixelMetrics() {
    this(ScoreHistogram.DEFAULT_MANTISSA_BITS);
  }

  /** Creates an empty accumulator whose histograms keep {@code mantissaBits} mantissa bits. */
  public PixelMetrics(int mantissaBits) {
    this.positives = new ScoreHistogram(mantissaBits);
    this.negatives = new ScoreHistogram(mantissaBits);
  }

  /** Returns a deep copy of {@code source}. */
  public static PixelMetrics copyOf(PixelMetrics source) {
    PixelMetrics copy = new PixelMetrics(source.positives.mantissaBits());
    copy.merge(source);
    return copy;
  }

  /** Adds one image; see {@link #add(String, AnomalyMap, Mask)}. */
  public void add(AnomalyMap anomalyMap, Mask gtMask) {
    add("(unnamed image)", anomalyMap, gtMask);
  }

  /**
   * Adds the pixels of one image.
   *
   * @param imageId image name used in error messages
   * @param anomalyMap per-pixel scores, all finite
   * @param gtMask ground-truth mask of the same size, or null for a normal image
   * @throws IllegalArgumentException when a score is NaN or infinite or the sizes differ, leaving
   *     the accumulator unchanged
   */
  public void add(String imageId, AnomalyMap anomalyMap, Mask gtMask) {
    checkImage(imageId, anomalyMap, gtMask);
    float[] scores = anomalyMap.values();
    cache.clear();
    imageCount++;
    if (gtMask == null || gtMask.isEmpty()) {
      negatives.addAll(scores);
      return;
    }

    Regions regions = Regions.of(gtMask);
    int[] labels = regions.labels();
    int[] areas = regions.areas();
    for (int p = 0; p < scores.length; p++) {
      int label = labels[p];
      if (label == 0) {
        negatives.add(scores[p]);
      } else {
        positives.add(scores[p], 1, 1.0 / areas[label]);
      }
    }
    regionCount += regions.count();
  }

  /** Adds everything accumulated by {@code other}. */
  public void merge(PixelMetrics other) {
    positives.merge(other.positives);
    negatives.merge(other.negatives);
    regionCount += other.regionCount;
    imageCount += other.imageCount;
    cache.clear();
  }

  public long positivePixels() {
    return positives.totalCount();
  }

  public long negativePixels() {
    return negatives.totalCount();
  }

  /** Returns the number of connected ground-truth regions over all images. */
  public int regionCount() {
    return regionCount;
  }

  public int imageCount() {
    return imageCount;
  }

  /** Returns the pixel AUROC; undefined without a positive or without a negative pixel. */
  public MetricValue auroc() {
    return cache.computeIfAbsent("auroc", key -> computeAuroc());
  }

  /** Returns the pixel average precision; undefined without a positive pixel. */
  public MetricValue averagePrecision() {
    return cache.computeIfAbsent("ap", key -> computeAveragePrecision());
  }

  /** Returns AUPRO up to {@link #DEFAULT_FPR_LIMIT}. */
  public MetricValue aupro() {
    return aupro(DEFAULT_FPR_LIMIT);
  }

  /**
   * Returns the area under the PRO curve for FPR from 0 to {@code fprLimit}, divided by {@code
   * fprLimit} so that a perfect detector scores 1. Undefined without a region or a negative pixel.
   *
   * @param fprLimit false-positive-rate limit in (0, 1]
   */
  public MetricValue aupro(double fprLimit) {
    checkFprLimit(fprLimit);
    return cache.computeIfAbsent("aupro@" + fprLimit, key -> computeAupro(fprLimit));
  }

  /**
   * Returns the ROC curve (FPR, TPR), one point per histogram bin from (0, 0) to (1, 1), with at
   * most {@code maxPoints} points. Null when AUROC is undefined.
   */
  public Curve rocCurve(int maxPoints) {
    if (!auroc().isDefined()) {
      return null;
    }
    return BinnedRankMetrics.rocCurve(align()).downsample(maxPoints);
  }

  /**
   * Returns the PRO curve (FPR, PRO) from FPR 0 to {@code fprLimit}, with at most {@code maxPoints}
   * points. Null when AUPRO is undefined.
   */
  public Curve proCurve(double fprLimit, int maxPoints) {
    if (!aupro(fprLimit).isDefined()) {
      return null;
    }
    return BinnedRankMetrics.proCurve(align(), regionCount, fprLimit).downsample(maxPoints);
  }

  /** Returns a copy of the positive-pixel histogram (weights are the per-region weights). */
  public ScoreHistogram positiveHistogram() {
    return ScoreHistogram.copyOf(positives);
  }

  /** Returns a copy of the negative-pixel histogram. */
  public ScoreHistogram negativeHistogram() {
    return ScoreHistogram.copyOf(negatives);
  }

  private MetricValue computeAuroc() {
    String name = "pixel AUROC";
    if (positives.totalCount() == 0) {
      return MetricValue.undefined(name, noPositiveReason());
    }
    if (negatives.totalCount() == 0) {
      return MetricValue.undefined(name, noNegativeReason());
    }
    return BinnedRankMetrics.auroc(name, align());
  }

  private MetricValue computeAveragePrecision() {
    String name = "pixel AP";
    if (positives.totalCount() == 0) {
      return MetricValue.undefined(name, noPositiveReason());
    }
    return BinnedRankMetrics.averagePrecision(name, align());
  }

  private MetricValue computeAupro(double fprLimit) {
    String name = "AUPRO@" + fprLimit;
    if (regionCount == 0) {
      return MetricValue.undefined(name, noPositiveReason());
    }
    if (negatives.totalCount() == 0) {
      return MetricValue.undefined(name, noNegativeReason());
    }
    return BinnedRankMetrics.aupro(name, align(), regionCount, fprLimit);
  }

  private AlignedBins align() {
    return AlignedBins.of(positives, negatives);
  }

  private String noPositiveReason() {
    return "no defect pixel in the ground-truth masks (%d images added); add anomalous images"
            .formatted(imageCount)
        + " with non-empty masks";
  }

  private String noNegativeReason() {
    return "every pixel is marked defective (%d images added); add normal images or masks with"
            .formatted(imageCount)
        + " defect-free pixels";
  }

  static void checkFprLimit(double fprLimit) {
    if (!(fprLimit > 0 && fprLimit <= 1)) {
      throw new IllegalArgumentException(
          "invalid FPR limit %s for AUPRO: use a value in (0, 1], usually %s"
              .formatted(fprLimit, DEFAULT_FPR_LIMIT));
    }
  }

  /**
   * Throws when the map has a non-finite score or the mask's size differs, naming the image, the
   * pixel and the value.
   */
  static void checkImage(String imageId, AnomalyMap anomalyMap, Mask gtMask) {
    if (gtMask != null
        && (gtMask.width() != anomalyMap.width() || gtMask.height() != anomalyMap.height())) {
      throw new IllegalArgumentException(
          "image %s: anomaly map is %d×%d but the ground-truth mask is %d×%d; resize the map to"
                  .formatted(
                      imageId,
                      anomalyMap.width(),
                      anomalyMap.height(),
                      gtMask.width(),
                      gtMask.height())
              + " the mask size before evaluation");
    }
    float[] scores = anomalyMap.values();
    for (int p = 0; p < scores.length; p++) {
      if (!Float.isFinite(scores[p])) {
        throw new IllegalArgumentException(
            "image %s: anomaly score %s at pixel (x=%d, y=%d) is not finite; metrics need finite"
                    .formatted(imageId, scores[p], p % anomalyMap.width(), p / anomalyMap.width())
                + " scores, so fix the model output (for example a singular covariance)");
      }
    }
  }
}
