package org.flawmap.threshold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flawmap.metrics.Curve;
import org.flawmap.metrics.ScoreHistogram;

/**
 * {@code iou-curve} (the recommended default): the threshold that maximises the mean per-image IoU
 * over the anomalous validation images with defect pixels, {@code meanIoU(t) = (1/M) sum_i TP_i /
 * (TP_i + FP_i + FN_i)} with the rule {@code score >= t}. Images with empty masks and normal images
 * are excluded, since they do not change TP_i and would only count predictions.
 *
 * <p>Candidates: between two consecutive defect-pixel scores every TP_i is constant and every FP_i
 * falls as t rises, so the maximum lies at a defect-pixel score. The candidates are therefore the
 * lower edges of the histogram bins that contain defect pixels (bin resolution, relative width
 * 2^-14, see {@link ScoreHistogram}). When there are at most {@code max-candidates} such bins the
 * sweep is exact at bin resolution. Otherwise a first pass takes {@code max-candidates} bins at
 * evenly spaced quantiles of the defect pixels, and further passes sweep the bins between the
 * neighbours of the best candidate until they fit, which finds a local maximum of that bracket.
 *
 * <p>Each pass counts every pixel of the M images once, with a binary search over the K sorted
 * candidates, in O(pixels log K + M K). Among equal means the highest threshold wins. Without a
 * defect pixel it falls back to {@code normal-stats} with a warning.
 */
public final class IouCurveEstimator implements ThresholdEstimator {

  private final ThresholdOptions options;

  public IouCurveEstimator(ThresholdOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return ThresholdEstimators.IOU_CURVE;
  }

  @Override
  public ThresholdResult estimate(List<ValidationImage> validation) {
    ValidationData data = ValidationData.of(validation);
    if (!data.hasPositives()) {
      return NormalStatsEstimator.fallBack(name(), data, options);
    }

    float[] all = defectBinEdges(data.positives);
    int maxCandidates = options.maxCandidates();
    boolean exhaustive = all.length <= maxCandidates;
    float[] candidates =
        exhaustive
            ? all
            : quantileEdges(all, cumulativeDefectCounts(data.positives), maxCandidates);
    double[] mean = meanIou(data.defectImages, candidates);
    Curve curve = ascendingCurve(candidates, mean);
    int best = argMaxHighest(mean);
    float bestThreshold = candidates[best];
    double bestMean = mean[best];

    // Refine between the neighbours of the best candidate (exclusive, as both were evaluated)
    // until the bracket fits in one exhaustive pass.
    float bracketLow = Float.NEGATIVE_INFINITY;
    float bracketHigh = Float.POSITIVE_INFINITY;
    while (!exhaustive) {
      bracketLow = best > 0 ? candidates[best - 1] : bracketLow;
      bracketHigh = best < candidates.length - 1 ? candidates[best + 1] : bracketHigh;
      float[] bracket = strictlyBetween(all, bracketLow, bracketHigh);
      exhaustive = bracket.length <= maxCandidates;
      candidates = exhaustive ? bracket : subsample(bracket, maxCandidates);
      mean = meanIou(data.defectImages, candidates);
      best = argMaxHighest(mean);
      boolean better =
          mean[best] > bestMean || (mean[best] == bestMean && candidates[best] > bestThreshold);
      if (better) {
        bestThreshold = candidates[best];
        bestMean = mean[best];
      }
    }

    return new ThresholdResult(
        name(),
        name(),
        bestThreshold,
        "mean per-image IoU of %d anomalous images".formatted(data.defectImages.size()),
        bestMean,
        data.warnings,
        curve);
  }

  /** Returns the lower edges of the bins with defect pixels, ascending. */
  private static float[] defectBinEdges(ScoreHistogram positives) {
    List<Float> edges = new ArrayList<>();
    positives.forEachDescending((bin, edge, count, weight) -> edges.add(edge));
    float[] ascending = new float[edges.size()];
    for (int i = 0; i < ascending.length; i++) {
      ascending[i] = edges.get(edges.size() - 1 - i);
    }
    return ascending;
  }

  /** Returns the number of defect pixels in bins 0..i of the ascending edges. */
  private static long[] cumulativeDefectCounts(ScoreHistogram positives) {
    int size = positives.occupiedBins();
    long[] counts = new long[size];
    int[] position = {size - 1};
    positives.forEachDescending((bin, edge, count, weight) -> counts[position[0]--] = count);
    for (int i = 1; i < size; i++) {
      counts[i] += counts[i - 1];
    }
    return counts;
  }

  /** Picks about {@code k} edges at evenly spaced quantiles of the defect pixels. */
  private static float[] quantileEdges(float[] edges, long[] cumulative, int k) {
    long total = cumulative[cumulative.length - 1];
    float[] picked = new float[k];
    int n = 0;
    int i = 0;
    for (int j = 0; j < k; j++) {
      long target = Math.max(1, Math.round((double) total * j / (k - 1)));
      while (i < edges.length - 1 && cumulative[i] < target) {
        i++;
      }
      if (n == 0 || picked[n - 1] != edges[i]) {
        picked[n++] = edges[i];
      }
    }
    return Arrays.copyOf(picked, n);
  }

  /** Picks {@code k} edges evenly spaced by index, keeping both ends. */
  private static float[] subsample(float[] edges, int k) {
    float[] picked = new float[k];
    for (int j = 0; j < k; j++) {
      picked[j] = edges[(int) ((long) j * (edges.length - 1) / (k - 1))];
    }
    return picked;
  }

  /** Returns the ascending edges strictly between {@code low} and {@code high}. */
  private static float[] strictlyBetween(float[] edges, float low, float high) {
    int from = 0;
    while (from < edges.length && edges[from] <= low) {
      from++;
    }
    int to = edges.length;
    while (to > from && edges[to - 1] >= high) {
      to--;
    }
    return Arrays.copyOfRange(edges, from, to);
  }

  /**
   * Returns the mean IoU over {@code images} at each ascending candidate threshold. A pixel is
   * predicted at candidate c exactly when c is below the pixel's insertion point.
   */
  static double[] meanIou(List<ValidationImage> images, float[] candidates) {
    int k = candidates.length;
    double[] sum = new double[k];
    long[] positivesAt = new long[k + 1];
    long[] negativesAt = new long[k + 1];
    for (ValidationImage image : images) {
      Arrays.fill(positivesAt, 0);
      Arrays.fill(negativesAt, 0);
      float[] values = image.anomalyMap().values();
      boolean[] mask = image.gtMask().pixels();
      long defects = 0;
      for (int p = 0; p < values.length; p++) {
        int predictedUpTo = insertionPoint(candidates, values[p]);
        if (mask[p]) {
          positivesAt[predictedUpTo]++;
          defects++;
        } else {
          negativesAt[predictedUpTo]++;
        }
      }

      // Candidate c predicts the pixels whose insertion point is above c: suffix sums.
      long tp = 0;
      long fp = 0;
      for (int c = k - 1; c >= 0; c--) {
        tp += positivesAt[c + 1];
        fp += negativesAt[c + 1];
        sum[c] += (double) tp / (defects + fp);
      }
    }
    for (int c = 0; c < k; c++) {
      sum[c] /= images.size();
    }
    return sum;
  }

  /** Returns the number of candidates {@code <= score}. */
  private static int insertionPoint(float[] candidates, float score) {
    int low = 0;
    int high = candidates.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (candidates[middle] <= score) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Returns the index of the maximum, taking the highest (last ascending) among equal values. */
  private static int argMaxHighest(double[] values) {
    int best = values.length - 1;
    for (int i = values.length - 2; i >= 0; i--) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static Curve ascendingCurve(float[] candidates, double[] mean) {
    double[] x = new double[candidates.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = candidates[i];
    }
    return new Curve("threshold", "mean IoU", x, mean, x.clone())
        .downsample(Curve.DEFAULT_MAX_POINTS);
  }
}
