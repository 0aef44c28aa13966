package org.flawmap.metrics;

/**
 * Rank metrics computed from aligned positive and negative histograms, with the scores of one bin
 * treated as tied (one step of the curve, integrated as a trapezoid).
 *
 * <p>Histogram 0 of the {@link AlignedBins} contains the positive scores (its weights are the
 * per-region weights for PRO) and histogram 1 the negative scores. Callers check for empty classes
 * first.
 */
final class BinnedRankMetrics {

  static final int POSITIVE = 0;
  static final int NEGATIVE = 1;

  private BinnedRankMetrics() {}

  /**
   * Computes the area under the ROC curve, P(positive score > negative score) + P(equal) / 2. Pairs
   * in one bin count 1/2 each, and their exact contribution lies in [0, 1], so the exact AUROC is
   * within {@code 0.5 * pairsSharingABin / (P * N)} of the value.
   */
  static MetricValue auroc(String name, AlignedBins bins) {
    double positives = bins.totalCount(POSITIVE);
    double negatives = bins.totalCount(NEGATIVE);
    double area = 0;
    double sharedPairs = 0;
    long negativesAbove = 0;
    for (int i = 0; i < bins.size(); i++) {
      long p = bins.count(POSITIVE, i);
      long n = bins.count(NEGATIVE, i);
      double negativesBelow = negatives - negativesAbove - n;
      area += p * (negativesBelow + 0.5 * n);
      sharedPairs += (double) p * n;
      negativesAbove += n;
    }

    double value = area / (positives * negatives);
    if (bins.exact()) {
      return MetricValue.exact(name, value);
    }
    double bound = 0.5 * sharedPairs / (positives * negatives);
    return MetricValue.bounded(name, value, Math.max(0, value - bound), Math.min(1, value + bound));
  }

  /**
   * Computes average precision, {@code sum_k (R_k - R_(k-1)) * P_k} over the bins from the highest
   * score down, where R_k and P_k are recall and precision with bins 0..k predicted positive (no
   * interpolation). The bounds order each bin's scores with all negatives first (lowest possible
   * AP) or all positives first (highest), which brackets every exact ordering.
   */
  static MetricValue averagePrecision(String name, AlignedBins bins) {
    double positives = bins.totalCount(POSITIVE);
    double sum = 0;
    double lowest = 0;
    double highest = 0;
    long tp = 0;
    long predicted = 0;
    for (int i = 0; i < bins.size(); i++) {
      long a = bins.count(POSITIVE, i);
      long b = bins.count(NEGATIVE, i);
      if (a > 0) {
        sum += a * (double) (tp + a) / (predicted + a + b);
        if (!bins.exact()) {
          for (long j = 1; j <= a; j++) {
            lowest += (double) (tp + j) / (predicted + b + j);
            highest += (double) (tp + j) / (predicted + j);
          }
        }
      }
      tp += a;
      predicted += a + b;
    }

    double value = sum / positives;
    if (bins.exact()) {
      return MetricValue.exact(name, value);
    }
    return MetricValue.bounded(name, value, lowest / positives, highest / positives);
  }

  /**
   * Computes the normalised area under the PRO curve up to {@code fprLimit} (MVTec AD definition):
   * PRO(t) is the mean over regions of the share of the region's pixels with score >= t, FPR(t) the
   * share of negative pixels with score >= t. The curve starts at (0, 0), gets one point per bin,
   * is integrated with the trapezoid rule up to FPR = fprLimit (interpolating linearly there), and
   * the area is divided by fprLimit.
   *
   * <p>Inside one bin the exact curve is a monotone path between the bin's two points, so its area
   * differs from the trapezoid by at most half the step's box ({@code dFpr * dPro / 2}), or the
   * whole clipped box for the step that crosses the limit.
   */
  static MetricValue aupro(String name, AlignedBins bins, int regionCount, double fprLimit) {
    double negatives = bins.totalCount(NEGATIVE);
    double area = 0;
    double bound = 0;
    double fpr = 0;
    double pro = 0;
    long negativesAbove = 0;
    double weightAbove = 0;
    for (int i = 0; i < bins.size() && fpr < fprLimit; i++) {
      negativesAbove += bins.count(NEGATIVE, i);
      weightAbove += bins.weight(POSITIVE, i);
      double nextFpr = negativesAbove / negatives;
      double nextPro = weightAbove / regionCount;
      if (nextFpr <= fprLimit) {
        area += (nextFpr - fpr) * (pro + nextPro) / 2;
        bound += (nextFpr - fpr) * (nextPro - pro) / 2;
      } else {
        double width = fprLimit - fpr;
        double proAtLimit = pro + (nextPro - pro) * width / (nextFpr - fpr);
        area += width * (pro + proAtLimit) / 2;
        bound += width * (nextPro - pro);
      }
      fpr = nextFpr;
      pro = nextPro;
    }

    double value = area / fprLimit;
    if (bins.exact()) {
      return MetricValue.exact(name, value);
    }
    double scaledBound = bound / fprLimit;
    return MetricValue.bounded(
        name, value, Math.max(0, value - scaledBound), Math.min(1, value + scaledBound));
  }

  /** Builds the ROC curve (FPR, TPR), starting at (0, 0) with one point per bin. */
  static Curve rocCurve(AlignedBins bins) {
    int n = bins.size() + 1;
    double[] fpr = new double[n];
    double[] tpr = new double[n];
    double[] thresholds = new double[n];
    double positives = bins.totalCount(POSITIVE);
    double negatives = bins.totalCount(NEGATIVE);
    thresholds[0] = bins.edgeAboveMaximum();
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < bins.size(); i++) {
      tp += bins.count(POSITIVE, i);
      fp += bins.count(NEGATIVE, i);
      fpr[i + 1] = fp / negatives;
      tpr[i + 1] = tp / positives;
      thresholds[i + 1] = bins.lowerEdge(i);
    }
    return new Curve("FPR", "TPR", fpr, tpr, thresholds);
  }

  /**
   * Builds the PRO curve (FPR, PRO) from (0, 0) up to FPR = fprLimit, where the last point is
   * interpolated linearly as {@link #aupro} integrates it.
   */
  static Curve proCurve(AlignedBins bins, int regionCount, double fprLimit) {
    double negatives = bins.totalCount(NEGATIVE);
    double[] fpr = new double[bins.size() + 1];
    double[] pro = new double[bins.size() + 1];
    double[] thresholds = new double[bins.size() + 1];
    thresholds[0] = bins.edgeAboveMaximum();
    int n = 1;
    long negativesAbove = 0;
    double weightAbove = 0;
    for (int i = 0; i < bins.size() && fpr[n - 1] < fprLimit; i++) {
      negativesAbove += bins.count(NEGATIVE, i);
      weightAbove += bins.weight(POSITIVE, i);
      double nextFpr = negativesAbove / negatives;
      double nextPro = weightAbove / regionCount;
      if (nextFpr > fprLimit) {
        double previousFpr = fpr[n - 1];
        double previousPro = pro[n - 1];
        nextPro =
            previousPro
                + (nextPro - previousPro) * (fprLimit - previousFpr) / (nextFpr - previousFpr);
        nextFpr = fprLimit;
      }
      fpr[n] = nextFpr;
      pro[n] = nextPro;
      thresholds[n] = bins.lowerEdge(i);
      n++;
    }
    return new Curve(
        "FPR",
        "PRO",
        java.util.Arrays.copyOf(fpr, n),
        java.util.Arrays.copyOf(pro, n),
        java.util.Arrays.copyOf(thresholds, n));
  }
}
