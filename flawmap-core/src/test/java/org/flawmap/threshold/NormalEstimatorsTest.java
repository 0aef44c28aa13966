package org.flawmap.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.junit.jupiter.api.Test;

/** normal-stats and normal-quantile against closed forms and a brute-force quantile. */
class NormalEstimatorsTest {

  private static ValidationImage normal(String id, float... scores) {
    return ValidationImage.normal(id, new AnomalyMap(scores.length, 1, scores));
  }

  @Test
  void normalStatsClosedForm() {
    // Normal pixels {1, 2, 3, 4}: mean 2.5, population variance 1.25.
    List<ValidationImage> validation = List.of(normal("a", 1, 2), normal("b", 3, 4));
    ThresholdResult result =
        new NormalStatsEstimator(ThresholdOptions.defaults().withK(2)).estimate(validation);

    assertEquals((float) (2.5 + 2 * Math.sqrt(1.25)), result.threshold());
    assertEquals(0.0, result.criterionValue());
    assertEquals(ThresholdEstimators.NORMAL_STATS, result.estimator());
    assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    assertNull(result.curve());
  }

  @Test
  void normalStatsIgnoresAnomalousImages() {
    Mask mask = new Mask(2, 1, new boolean[] {true, false});
    List<ValidationImage> validation =
        List.of(
            normal("a", 1, 3),
            ValidationImage.anomalous("d", new AnomalyMap(2, 1, new float[] {100, 50}), mask));
    ThresholdResult result =
        new NormalStatsEstimator(ThresholdOptions.defaults().withK(0)).estimate(validation);

    assertEquals(2f, result.threshold());
    assertEquals(0.5, result.criterionValue());
  }

  @Test
  void normalStatsWithoutNormalImagesWarns() {
    Mask mask = new Mask(3, 1, new boolean[] {true, false, false});
    List<ValidationImage> validation =
        List.of(ValidationImage.anomalous("d", new AnomalyMap(3, 1, new float[] {9, 1, 3}), mask));
    ThresholdResult result =
        new NormalStatsEstimator(ThresholdOptions.defaults().withK(0)).estimate(validation);

    assertEquals(2f, result.threshold());
    assertEquals(1, result.warnings().size());
    assertTrue(result.warnings().get(0).contains("Add normal validation images"));
  }

  @Test
  void quantileOneLeavesNoNormalPixelPredicted() {
    List<ValidationImage> validation = List.of(normal("a", 0.5f, 7.25f, 7.25f), normal("b", 3));
    ThresholdResult result =
        new NormalQuantileEstimator(ThresholdOptions.defaults().withQuantile(1.0))
            .estimate(validation);

    assertEquals(Math.nextUp(7.25f), result.threshold());
    assertEquals(0.0, result.criterionValue());
    for (ValidationImage image : validation) {
      for (float v : image.anomalyMap().values()) {
        assertTrue(v < result.threshold(), "normal pixel " + v + " predicted");
      }
    }
  }

  @Test
  void quantileAllowsOnePercentOfHundred() {
    float[] scores = new float[100];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = i + 1;
    }
    ThresholdResult result =
        new NormalQuantileEstimator(ThresholdOptions.defaults())
            .estimate(List.of(normal("a", scores)));

    assertEquals(100f, result.threshold());
    assertEquals(0.01, result.criterionValue(), 1e-15);
  }

  @Test
  void quantileSkipsTiesThatExceedTheShare() {
    // N = 5, q = 0.5: at most 2 pixels may reach the threshold. 2 is reached by 4, so 3.
    float[] sorted = {1, 2, 2, 2, 3};
    assertEquals(3f, NormalQuantileEstimator.quantileThreshold(sorted, 0.5));
    assertEquals(Math.nextUp(3f), NormalQuantileEstimator.quantileThreshold(sorted, 0.9));
    // A tiny q still allows only floor(4.999995) = 4 pixels, so not the minimum 1.
    assertEquals(2f, NormalQuantileEstimator.quantileThreshold(sorted, 1e-6));
  }

  @Test
  void quantileMatchesBruteForce() {
    Random random = new Random(61);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(60);
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(12);
      }
      double q = random.nextInt(5) == 0 ? 1.0 : random.nextDouble();
      float[] sorted = scores.clone();
      Arrays.sort(sorted);

      assertEquals(bruteQuantile(scores, q), NormalQuantileEstimator.quantileThreshold(sorted, q));
    }
  }

  /** Returns the smallest score s with #{v >= s} <= floor((1 - q) n), else nextUp(max). */
  private static float bruteQuantile(float[] scores, double q) {
    long allowed = (long) Math.floor((1 - q) * scores.length + 1e-9);
    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    for (float s : sorted) {
      long reached = 0;
      for (float v : scores) {
        reached += v >= s ? 1 : 0;
      }
      if (reached <= allowed) {
        return s;
      }
    }
    return Math.nextUp(sorted[sorted.length - 1]);
  }
}
