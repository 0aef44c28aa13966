package org.flawmap.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Image-level AUROC and average precision from (image score, label) pairs, computed exactly by
 * sorting, since image counts are small. Equal scores form one step of the curve: a tied
 * (anomalous, normal) pair counts 1/2 in AUROC, and a group of tied images enters average precision
 * with the precision reached after the whole group.
 *
 * <p>AUROC is undefined (NaN, with a reason and a WARN) without an anomalous or without a normal
 * image. Average precision is undefined without an anomalous image and is 1 without a normal one.
 */
public final class ImageMetrics {

  /** One image score with its label. */
  public record ScoredImage(String imageId, double imageScore, boolean anomalous) {}

  private final List<ScoredImage> images = new ArrayList<>();

  /**
   * Adds one image.
   *
   * @param imageScore finite image score, higher is more anomalous
   * @param anomalous ground-truth label
   */
  public void add(String imageId, double imageScore, boolean anomalous) {
    if (!Double.isFinite(imageScore)) {
      throw new IllegalArgumentException(
          "image %s: image score %s is not finite; fix the model output before evaluation"
              .formatted(imageId, imageScore));
    }
    images.add(new ScoredImage(imageId, imageScore, anomalous));
  }

  /** Adds every image of {@code other}. */
  public void merge(ImageMetrics other) {
    images.addAll(other.images);
  }

  public List<ScoredImage> images() {
    return Collections.unmodifiableList(images);
  }

  public int anomalousCount() {
    return (int) images.stream().filter(ScoredImage::anomalous).count();
  }

  public int normalCount() {
    return images.size() - anomalousCount();
  }

  public MetricValue auroc() {
    return auroc(scores(), labels());
  }

  public MetricValue averagePrecision() {
    return averagePrecision(scores(), labels());
  }

  /** Computes the exact image AUROC of {@code scores} with labels {@code anomalous}. */
  public static MetricValue auroc(double[] scores, boolean[] anomalous) {
    String name = "image AUROC";
    int[] order = sortedDescending(scores, anomalous);
    long positives = countTrue(anomalous);
    long negatives = anomalous.length - positives;
    if (positives == 0) {
      return MetricValue.undefined(name, noAnomalousReason(anomalous.length));
    }
    if (negatives == 0) {
      return MetricValue.undefined(
          name, "all %d images are anomalous; add normal images".formatted(anomalous.length));
    }

    double area = 0;
    long negativesAbove = 0;
    for (int start = 0; start < order.length; ) {
      int end = endOfTies(order, scores, start);
      long p = 0;
      long n = 0;
      for (int k = start; k < end; k++) {
        if (anomalous[order[k]]) {
          p++;
        } else {
          n++;
        }
      }
      area += p * (negatives - negativesAbove - n + 0.5 * n);
      negativesAbove += n;
      start = end;
    }
    return MetricValue.exact(name, area / ((double) positives * negatives));
  }

  /**
   * Computes the exact image average precision {@code sum_k (R_k - R_(k-1)) * P_k} over the
   * distinct scores from the highest down.
   */
  public static MetricValue averagePrecision(double[] scores, boolean[] anomalous) {
    String name = "image AP";
    int[] order = sortedDescending(scores, anomalous);
    long positives = countTrue(anomalous);
    if (positives == 0) {
      return MetricValue.undefined(name, noAnomalousReason(anomalous.length));
    }

    double sum = 0;
    long tp = 0;
    for (int start = 0; start < order.length; ) {
      int end = endOfTies(order, scores, start);
      long p = 0;
      for (int k = start; k < end; k++) {
        if (anomalous[order[k]]) {
          p++;
        }
      }
      tp += p;
      sum += p * (double) tp / end;
      start = end;
    }
    return MetricValue.exact(name, sum / positives);
  }

  private double[] scores() {
    return images.stream().mapToDouble(ScoredImage::imageScore).toArray();
  }

  private boolean[] labels() {
    boolean[] labels = new boolean[images.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = images.get(i).anomalous();
    }
    return labels;
  }

  private static int[] sortedDescending(double[] scores, boolean[] anomalous) {
    if (scores.length != anomalous.length) {
      throw new IllegalArgumentException(
          "%d image scores but %d labels; pass one label per score"
              .formatted(scores.length, anomalous.length));
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(
            "image score %s at index %d is not finite; fix the model output before evaluation"
                .formatted(scores[i], i));
      }
    }
    return IntStream.range(0, scores.length)
        .boxed()
        .sorted((a, b) -> Double.compare(scores[b], scores[a]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static int endOfTies(int[] order, double[] scores, int start) {
    int end = start + 1;
    while (end < order.length && scores[order[end]] == scores[order[start]]) {
      end++;
    }
    return end;
  }

  private static long countTrue(boolean[] values) {
    long count = 0;
    for (boolean v : values) {
      if (v) {
        count++;
      }
    }
    return count;
  }

  private static String noAnomalousReason(int imageCount) {
    return "none of the %d images is anomalous; add anomalous images".formatted(imageCount);
  }

  @Override
  public String toString() {
    return "ImageMetrics[%d anomalous, %d normal]".formatted(anomalousCount(), normalCount());
  }
}
