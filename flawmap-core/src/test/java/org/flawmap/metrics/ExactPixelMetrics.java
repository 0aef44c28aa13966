package org.flawmap.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.flawmap.dataset.Regions;

/**
 * Brute-force reference for the pixel metrics, independent of the histograms: every distinct score
 * is a threshold, and each count is taken by scanning all pixels. Quadratic, so only for small test
 * inputs.
 */
final class ExactPixelMetrics {

  private final float[] scores;
  private final boolean[] positive;
  private final int[] region;
  private final int[] regionAreas;
  private final float[] thresholds;

  ExactPixelMetrics(List<AnomalyMap> maps, List<Mask> masks) {
    List<Float> allScores = new ArrayList<>();
    List<Boolean> allPositive = new ArrayList<>();
    List<Integer> allRegion = new ArrayList<>();
    List<Integer> areas = new ArrayList<>();
    for (int i = 0; i < maps.size(); i++) {
      Mask mask = masks.get(i);
      Regions regions = mask == null ? null : Regions.of(mask);
      int offset = areas.size();
      if (regions != null) {
        for (int r = 1; r <= regions.count(); r++) {
          areas.add(regions.areas()[r]);
        }
      }
      float[] values = maps.get(i).values();
      for (int p = 0; p < values.length; p++) {
        allScores.add(values[p]);
        boolean on = mask != null && mask.pixels()[p];
        allPositive.add(on);
        allRegion.add(on ? offset + regions.labels()[p] - 1 : -1);
      }
    }
    int n = allScores.size();
    scores = new float[n];
    positive = new boolean[n];
    region = new int[n];
    for (int p = 0; p < n; p++) {
      scores[p] = allScores.get(p);
      positive[p] = allPositive.get(p);
      region[p] = allRegion.get(p);
    }
    regionAreas = areas.stream().mapToInt(Integer::intValue).toArray();

    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    thresholds = distinctDescending(sorted);
  }

  /** AUROC as the Mann-Whitney statistic over all (positive, negative) pairs. */
  double auroc() {
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!positive[i]) {
        continue;
      }
      for (int j = 0; j < scores.length; j++) {
        if (positive[j]) {
          continue;
        }
        pairs++;
        if (scores[i] > scores[j]) {
          sum += 1;
        } else if (scores[i] == scores[j]) {
          sum += 0.5;
        }
      }
    }
    return sum / pairs;
  }

  /** Average precision, sum over distinct thresholds of (recall step) * precision. */
  double averagePrecision() {
    long positives = count(true, Float.NEGATIVE_INFINITY);
    double sum = 0;
    double previousRecall = 0;
    for (float t : thresholds) {
      long tp = count(true, t);
      long fp = count(false, t);
      double recall = (double) tp / positives;
      sum += (recall - previousRecall) * tp / (tp + fp);
      previousRecall = recall;
    }
    return sum;
  }

  /** AUPRO up to fprLimit, normalised by the limit, with PRO counted region by region. */
  double aupro(double fprLimit) {
    long negatives = count(false, Float.NEGATIVE_INFINITY);
    List<double[]> points = new ArrayList<>();
    points.add(new double[] {0, 0});
    for (float t : thresholds) {
      double fpr = (double) count(false, t) / negatives;
      points.add(new double[] {fpr, pro(t)});
    }

    double area = 0;
    for (int k = 1; k < points.size(); k++) {
      double x0 = points.get(k - 1)[0];
      double y0 = points.get(k - 1)[1];
      double x1 = points.get(k)[0];
      double y1 = points.get(k)[1];
      if (x0 >= fprLimit) {
        break;
      }
      if (x1 > fprLimit) {
        double yLimit = y0 + (y1 - y0) * (fprLimit - x0) / (x1 - x0);
        area += (fprLimit - x0) * (y0 + yLimit) / 2;
        break;
      }
      area += (x1 - x0) * (y0 + y1) / 2;
    }
    return area / fprLimit;
  }

  /** PRO at threshold t: mean over regions of the share of region pixels with score >= t. */
  double pro(float t) {
    long[] hits = new long[regionAreas.length];
    for (int p = 0; p < scores.length; p++) {
      if (region[p] >= 0 && scores[p] >= t) {
        hits[region[p]]++;
      }
    }
    double sum = 0;
    for (int r = 0; r < regionAreas.length; r++) {
      sum += (double) hits[r] / regionAreas[r];
    }
    return sum / regionAreas.length;
  }

  private long count(boolean positiveClass, float t) {
    long count = 0;
    for (int p = 0; p < scores.length; p++) {
      if (positive[p] == positiveClass && scores[p] >= t) {
        count++;
      }
    }
    return count;
  }

  static float[] distinctDescending(float[] ascending) {
    float[] out = new float[ascending.length];
    int n = 0;
    for (int i = ascending.length - 1; i >= 0; i--) {
      if (n == 0 || ascending[i] != out[n - 1]) {
        out[n++] = ascending[i];
      }
    }
    return Arrays.copyOf(out, n);
  }
}
