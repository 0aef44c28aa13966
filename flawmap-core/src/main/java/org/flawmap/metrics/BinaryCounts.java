package org.flawmap.metrics;

/**
 * Confusion counts of a binary decision (anomalous = positive), with the usual ratios.
 *
 * <p>0/0 convention: a ratio whose denominator is zero gets the value that means no error was
 * possible. Precision with no predicted positive is 1 (no false alarm), recall with no actual
 * positive is 1 (nothing missed), F1 and IoU with {@code tp + fp + fn = 0} are 1 (prediction and
 * truth are both empty), accuracy of zero samples is 1 and FPR with no actual negative is 0. This
 * keeps F1 equal to the harmonic mean of precision and recall in every case. Averages that should
 * not count empty cases, such as the per-image IoU over anomalous images in {@link
 * InferenceMetrics}, exclude them instead of relying on this convention.
 *
 * @param tp true positives
 * @param fp false positives
 * @param fn false negatives
 * @param tn true negatives
 */
public record BinaryCounts(long tp, long fp, long fn, long tn) {

  public static final BinaryCounts ZERO = new BinaryCounts(0, 0, 0, 0);

  public BinaryCounts {
    if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
      throw new IllegalArgumentException(
          "invalid confusion counts tp=%d fp=%d fn=%d tn=%d: counts must be >= 0"
              .formatted(tp, fp, fn, tn));
    }
  }

  /**
   * Counts the pixels of one image with prediction {@code score >= threshold}.
   *
   * @param scores per-pixel scores
   * @param truth per-pixel ground truth of the same length, or null when no pixel is positive
   */
  public static BinaryCounts ofPixels(float[] scores, boolean[] truth, float threshold) {
    if (truth != null && truth.length != scores.length) {
      throw new IllegalArgumentException(
          "scores (%d) and ground truth (%d) need the same length"
              .formatted(scores.length, truth.length));
    }
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int p = 0; p < scores.length; p++) {
      boolean predicted = scores[p] >= threshold;
      boolean actual = truth != null && truth[p];
      if (predicted && actual) {
        tp++;
      } else if (predicted) {
        fp++;
      } else if (actual) {
        fn++;
      }
    }
    return new BinaryCounts(tp, fp, fn, scores.length - tp - fp - fn);
  }

  /** Returns the counts with one more decision added. */
  public BinaryCounts plus(boolean predicted, boolean actual) {
    if (predicted) {
      return actual ? new BinaryCounts(tp + 1, fp, fn, tn) : new BinaryCounts(tp, fp + 1, fn, tn);
    }
    return actual ? new BinaryCounts(tp, fp, fn + 1, tn) : new BinaryCounts(tp, fp, fn, tn + 1);
  }

  /** Returns the element-wise sum. */
  public BinaryCounts plus(BinaryCounts other) {
    return new BinaryCounts(tp + other.tp, fp + other.fp, fn + other.fn, tn + other.tn);
  }

  public long total() {
    return tp + fp + fn + tn;
  }

  public long actualPositives() {
    return tp + fn;
  }

  public long actualNegatives() {
    return fp + tn;
  }

  public long predictedPositives() {
    return tp + fp;
  }

  /** Returns tp / (tp + fp), or 1 with no predicted positive. */
  public double precision() {
    return ratio(tp, tp + fp, 1.0);
  }

  /** Returns recall (TPR), tp / (tp + fn), or 1 with no actual positive. */
  public double recall() {
    return ratio(tp, tp + fn, 1.0);
  }

  /** Returns F1, 2 tp / (2 tp + fp + fn), or 1 when tp + fp + fn = 0. */
  public double f1() {
    return ratio(2 * tp, 2 * tp + fp + fn, 1.0);
  }

  /** Returns IoU (Jaccard index), tp / (tp + fp + fn), or 1 when tp + fp + fn = 0. */
  public double iou() {
    return ratio(tp, tp + fp + fn, 1.0);
  }

  /** Returns (tp + tn) / total, or 1 for zero samples. */
  public double accuracy() {
    return ratio(tp + tn, total(), 1.0);
  }

  /** Returns the false positive rate fp / (fp + tn), or 0 with no actual negative. */
  public double falsePositiveRate() {
    return ratio(fp, fp + tn, 0.0);
  }

  private static double ratio(long numerator, long denominator, double whenEmpty) {
    return denominator == 0 ? whenEmpty : (double) numerator / denominator;
  }
}
