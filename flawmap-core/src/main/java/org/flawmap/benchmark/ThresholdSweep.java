package org.flawmap.benchmark;

import java.util.Arrays;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;

/**
 * Pixel F1 (pooled over all pixels) and mean IoU (over anomalous images) at a fixed grid of
 * thresholds, accumulated image by image, for the "metric against threshold" plots. Counting is
 * exact at each grid threshold: a pixel counts as predicted when its score is ≥ the threshold.
 */
final class ThresholdSweep {

  private final float[] thresholds;
  private final long[] truePositives;
  private final long[] falsePositives;
  private long positives;
  private final double[] iouSum;
  private int anomalousImages;

  /** @param thresholds grid thresholds, in any order; duplicates are dropped */
  ThresholdSweep(float[] thresholds) {
    this.thresholds = distinctSorted(thresholds);
    int n = this.thresholds.length;
    this.truePositives = new long[n];
    this.falsePositives = new long[n];
    this.iouSum = new double[n];
  }

  private static float[] distinctSorted(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, n);
  }

  float[] thresholds() {
    return thresholds.clone();
  }

  /** Adds one image; {@code gtMask} is null for a normal image. */
  void add(AnomalyMap map, Mask gtMask) {
    int n = truePositives.length;
    // Per grid index k, the pixels whose score reaches thresholds[k] but not thresholds[k + 1].
    long[] posAt = new long[n + 1];
    long[] negAt = new long[n + 1];
    float[] v = map.values();
    boolean[] truth = gtMask == null ? null : gtMask.pixels();
    long imagePositives = 0;

    for (int i = 0; i < v.length; i++) {
      int k = upperBound(v[i], n);
      if (truth != null && truth[i]) {
        posAt[k]++;
        imagePositives++;
      } else {
        negAt[k]++;
      }
    }

    long tp = 0;
    long fp = 0;
    // Walk from the highest threshold down: pixels at or above thresholds[k] accumulate.
    for (int k = n - 1; k >= 0; k--) {
      tp += posAt[k + 1];
      fp += negAt[k + 1];
      truePositives[k] += tp;
      falsePositives[k] += fp;
      if (imagePositives > 0) {
        iouSum[k] += (double) tp / (imagePositives + fp);
      }
    }
    positives += imagePositives;
    if (imagePositives > 0) {
      anomalousImages++;
    }
  }

  /** Returns how many grid thresholds are ≤ {@code score}. */
  private int upperBound(float score, int n) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (thresholds[mid] <= score) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  double[] pixelF1() {
    double[] f1 = new double[truePositives.length];
    for (int k = 0; k < f1.length; k++) {
      long tp = truePositives[k];
      long denominator = 2 * tp + falsePositives[k] + (positives - tp);
      f1[k] = denominator == 0 ? 1.0 : 2.0 * tp / denominator;
    }
    return f1;
  }

  double[] meanIou() {
    double[] iou = new double[iouSum.length];
    for (int k = 0; k < iou.length; k++) {
      iou[k] = anomalousImages == 0 ? Double.NaN : iouSum[k] / anomalousImages;
    }
    return iou;
  }
}
