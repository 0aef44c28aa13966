package org.flawmap.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.flawmap.threshold.BruteForceThresholds.Best;
import org.junit.jupiter.api.Test;

/** The curve estimators (f1, iou-curve, roc) against brute-force sweeps. */
class SweepEstimatorsTest {

  private static final ThresholdOptions DEFAULTS = ThresholdOptions.defaults();

  /** Scores k / 4 are representable at bin resolution, so the sweeps must agree exactly. */
  private static List<ValidationImage> integerValidation(Random random) {
    return BruteForceThresholds.randomValidation(
        random, 6, 8, 7, () -> random.nextInt(40) / 4.0, 3.0);
  }

  @Test
  void f1MatchesBruteForceOnRepresentableScores() {
    Random random = new Random(51);
    for (int trial = 0; trial < 20; trial++) {
      List<ValidationImage> validation = integerValidation(random);
      ThresholdResult result = new F1Estimator(DEFAULTS).estimate(validation);
      Best brute = BruteForceThresholds.f1(validation);

      assertEquals(brute.threshold(), result.threshold(), "trial " + trial);
      assertEquals(brute.value(), result.criterionValue(), 1e-12, "trial " + trial);
      assertFalse(result.fellBack());
      assertNotNull(result.curve());
    }
  }

  @Test
  void iouCurveMatchesBruteForceOnRepresentableScores() {
    Random random = new Random(52);
    for (int trial = 0; trial < 20; trial++) {
      List<ValidationImage> validation = integerValidation(random);
      ThresholdResult result = new IouCurveEstimator(DEFAULTS).estimate(validation);
      Best brute = BruteForceThresholds.meanIou(validation);

      assertEquals(brute.threshold(), result.threshold(), "trial " + trial);
      assertEquals(brute.value(), result.criterionValue(), 1e-12, "trial " + trial);
    }
  }

  @Test
  void youdenMatchesBruteForceOnRepresentableScores() {
    Random random = new Random(53);
    for (int trial = 0; trial < 20; trial++) {
      List<ValidationImage> validation = integerValidation(random);
      ThresholdResult result = new RocEstimator(DEFAULTS).estimate(validation);
      Best brute = BruteForceThresholds.youden(validation);

      assertEquals(brute.threshold(), result.threshold(), "trial " + trial);
      assertEquals(brute.value(), result.criterionValue(), 1e-12, "trial " + trial);
    }
  }

  @Test
  void targetFprMatchesLowestBruteForceThreshold() {
    Random random = new Random(54);
    for (double target : new double[] {0.0, 0.01, 0.05, 0.2, 1.0}) {
      List<ValidationImage> validation = integerValidation(random);
      ThresholdResult result =
          new RocEstimator(DEFAULTS.withTargetFpr(target)).estimate(validation);
      float brute = BruteForceThresholds.lowestWithinFpr(validation, target);

      if (Float.isNaN(brute)) {
        long[] counts = BruteForceThresholds.pooled(validation, result.threshold()).counts();
        assertEquals(0, counts[0] + counts[1], "nothing predicted above the maximum");
      } else {
        assertEquals(brute, result.threshold(), "target " + target);
      }
      assertTrue(result.criterionValue() <= target, "FPR reached " + result.criterionValue());
    }
  }

  @Test
  void randomFloatsReachCriterionAtReturnedThreshold() {
    Random random = new Random(55);
    for (int trial = 0; trial < 10; trial++) {
      List<ValidationImage> validation =
          BruteForceThresholds.randomValidation(random, 6, 9, 9, random::nextGaussian, 1.5);

      ThresholdResult f1 = new F1Estimator(DEFAULTS).estimate(validation);
      double f1There = BruteForceThresholds.pooled(validation, f1.threshold()).f1();
      assertEquals(f1There, f1.criterionValue(), 1e-12, "F1 recomputed at the threshold");
      assertTrue(f1.criterionValue() <= BruteForceThresholds.f1(validation).value() + 1e-12);

      ThresholdResult iou = new IouCurveEstimator(DEFAULTS).estimate(validation);
      double iouThere = BruteForceThresholds.meanIouAt(validation, iou.threshold());
      assertEquals(iouThere, iou.criterionValue(), 1e-12, "mean IoU recomputed at the threshold");
      double bruteIou = BruteForceThresholds.meanIou(validation).value();
      assertTrue(iou.criterionValue() <= bruteIou + 1e-12);
      // Bins of relative width 2^-14 can merge only near-equal scores, so the loss stays tiny.
      assertEquals(bruteIou, iou.criterionValue(), 1e-2, "trial " + trial);
    }
  }

  @Test
  void cappedIouCandidatesRefineToLocalOptimum() {
    Random random = new Random(56);
    for (int maxCandidates : new int[] {2, 3, 8, 64}) {
      List<ValidationImage> validation = integerValidation(random);
      ThresholdOptions capped = DEFAULTS.withMaxCandidates(maxCandidates);
      ThresholdResult result = new IouCurveEstimator(capped).estimate(validation);
      Best brute = BruteForceThresholds.meanIou(validation);

      double there = BruteForceThresholds.meanIouAt(validation, result.threshold());
      assertEquals(there, result.criterionValue(), 1e-12, "cap " + maxCandidates);
      assertTrue(result.criterionValue() <= brute.value() + 1e-12, "cap " + maxCandidates);
    }
  }

  @Test
  void cappedIouFindsUnimodalOptimum() {
    // Defects score 6 above a background of eighths in [0, 8), so mean IoU has one broad peak and
    // refinement from 4 candidates reaches the exact optimum for this seed.
    Random random = new Random(57);
    List<ValidationImage> validation =
        BruteForceThresholds.randomValidation(random, 4, 12, 12, () -> random.nextInt(64) / 8.0, 6);
    ThresholdResult capped =
        new IouCurveEstimator(DEFAULTS.withMaxCandidates(4)).estimate(validation);
    ThresholdResult full = new IouCurveEstimator(DEFAULTS).estimate(validation);
    Best brute = BruteForceThresholds.meanIou(validation);

    assertEquals(brute.value(), full.criterionValue(), 1e-12);
    assertEquals(brute.value(), capped.criterionValue(), 1e-12);
  }
}
