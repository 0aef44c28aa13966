package org.flawmap.engine;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The image-score threshold, set on validation image scores. */
final class ImageThreshold {

  private static final Logger log = LoggerFactory.getLogger(ImageThreshold.class);

  private ImageThreshold() {}

  /**
   * Returns the threshold t among the validation image scores that maximises image F1 for the
   * rule {@code score >= t}; ties go to the higher threshold, which raises fewer alarms. Without
   * both normal and anomalous validation images F1 is undefined, so the pixel threshold is used
   * (an image is anomalous when some pixel would be), with a warning.
   */
  static double f1Optimal(List<Double> scores, List<Boolean> labels, double fallback) {
    int positives = (int) labels.stream().filter(b -> b).count();
    if (positives == 0 || positives == labels.size()) {
      log.warn(
          "Validation has {} anomalous and {} normal images, so the image threshold cannot be"
              + " fitted; using the pixel threshold {}. Add both kinds of validation images.",
          positives, labels.size() - positives, fallback);
      return fallback;
    }
    double best = fallback;
    double bestF1 = -1;
    for (double t : scores) {
      long tp = 0;
      long fp = 0;
      for (int i = 0; i < scores.size(); i++) {
        if (scores.get(i) >= t) {
          if (labels.get(i)) {
            tp++;
          } else {
            fp++;
          }
        }
      }
      double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
      if (f1 > bestF1 || (f1 == bestF1 && t > best)) {
        bestF1 = f1;
        best = t;
      }
    }
    return best;
  }
}
