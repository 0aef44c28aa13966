package org.flawmap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.junit.jupiter.api.Test;

class PixelMetricsTest {

  private static AnomalyMap row(float... scores) {
    return new AnomalyMap(scores.length, 1, scores);
  }

  private static Mask rowMask(boolean... pixels) {
    return new Mask(pixels.length, 1, pixels);
  }

  @Test
  void aurocOfFourTiedScores() {
    // Positives {0.75, 0.5}, negatives {0.5, 0.25}: pairs 1 + 1 + 1/2 + 1 = 3.5 of 4.
    PixelMetrics metrics = new PixelMetrics();
    metrics.add(row(0.75f, 0.5f, 0.5f, 0.25f), rowMask(true, true, false, false));

    MetricValue auroc = metrics.auroc();
    assertEquals(0.875, auroc.value(), 1e-15);
    assertEquals(0, auroc.tieBound(), 0);
  }

  @Test
  void averagePrecisionTinyExamples() {
    // Descending 3 (pos), 2 (neg), 1 (pos): AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
    PixelMetrics separate = new PixelMetrics();
    separate.add(row(3f, 2f, 1f), rowMask(true, false, true));
    assertEquals(5.0 / 6, separate.averagePrecision().value(), 1e-15);

    // A tie at 2 between a positive and a negative is one step: 1/2 * 1/2 + 1/2 * 2/3 = 7/12.
    PixelMetrics tied = new PixelMetrics();
    tied.add(row(2f, 2f, 1f), rowMask(true, false, true));
    assertEquals(7.0 / 12, tied.averagePrecision().value(), 1e-15);
  }

  @Test
  void auproPerfectAndHalfDetectedRegions() {
    // Region A (4 pixels) scores 1000, above every negative. Region B (4 pixels) has two pixels at
    // 1000 and two at -1, below every negative. PRO is 3/4 from FPR 0 until FPR 1.
    PixelMetrics metrics = new PixelMetrics();
    metrics.add(
        new AnomalyMap(4, 1, new float[] {1000, 1000, 1000, 1000}),
        rowMask(true, true, true, true));
    metrics.add(row(1000, 1000, -1, -1), rowMask(true, true, true, true));
    float[] negatives = new float[100];
    for (int i = 0; i < negatives.length; i++) {
      negatives[i] = i + 1;
    }
    metrics.add(row(negatives), null);

    assertEquals(2, metrics.regionCount());
    // 1e-12 covers the rounding of 100 trapezoids of width 0.01.
    assertEquals(0.75, metrics.aupro().value(), 1e-12);
    assertEquals(0.75, metrics.aupro(1.0).value(), 1e-12);
  }

  @Test
  void auproStaircaseIntegratesByHand() {
    // Region A (4 pixels) is perfect. Region B (10 pixels) gets pixel k at score 100.5 - 10k, which
    // 10k of the negatives 1..100 reach. So PRO = 0.55, 0.60, 0.65, ... on FPR steps of 0.1.
    PixelMetrics metrics = new PixelMetrics();
    metrics.add(row(1000, 1000, 1000, 1000), rowMask(true, true, true, true));
    float[] regionB = new float[10];
    boolean[] all = new boolean[10];
    for (int k = 0; k < 10; k++) {
      regionB[k] = 100.5f - 10 * k;
      all[k] = true;
    }
    metrics.add(row(regionB), rowMask(all));
    float[] negatives = new float[100];
    for (int i = 0; i < negatives.length; i++) {
      negatives[i] = i + 1;
    }
    metrics.add(row(negatives), null);

    assertEquals((0.055 + 0.06 + 0.065) / 0.3, metrics.aupro(0.3).value(), 1e-12);
    assertEquals((0.055 + 0.06 + 0.05 * 0.65) / 0.25, metrics.aupro(0.25).value(), 1e-12);
  }

  @Test
  void auproInterpolatesSlopedStepAtLimit() {
    // One region {1, 0} and negatives {1, 0}: the curve is (0,0) -> (0.5,0.5) -> (1,1).
    PixelMetrics metrics = new PixelMetrics();
    metrics.add(row(1f, 0f, 1f, 0f), rowMask(true, true, false, false));

    assertEquals(0.15, metrics.aupro(0.3).value(), 1e-15);
    assertEquals(0.5, metrics.aupro(1.0).value(), 1e-15);
  }

  @Test
  void integerScoresMatchBruteForceExactly() {
    Random random = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      RandomImages images =
          RandomImages.generate(random, 6, 9, 7, () -> random.nextInt(30) / 4.0, 3);
      PixelMetrics metrics = images.pixelMetrics(ScoreHistogram.DEFAULT_MANTISSA_BITS);
      ExactPixelMetrics exact = images.exact();

      assertEquals(exact.auroc(), metrics.auroc().value(), 1e-12, "AUROC trial " + trial);
      assertEquals(0, metrics.auroc().tieBound(), 0);
      assertEquals(exact.averagePrecision(), metrics.averagePrecision().value(), 1e-12);
      assertEquals(exact.aupro(0.3), metrics.aupro(0.3).value(), 1e-12, "AUPRO trial " + trial);
      assertEquals(exact.aupro(1.0), metrics.aupro(1.0).value(), 1e-12);
      assertEquals(exact.aupro(0.05), metrics.aupro(0.05).value(), 1e-12);
    }
  }

  @Test
  void randomFloatsWithinTieBound() {
    Random random = new Random(12);
    boolean sawPositiveBound = false;
    for (int mantissaBits : new int[] {4, 8, ScoreHistogram.DEFAULT_MANTISSA_BITS}) {
      for (int trial = 0; trial < 8; trial++) {
        RandomImages images = RandomImages.generate(random, 6, 10, 8, random::nextGaussian, 1.5);
        PixelMetrics metrics = images.pixelMetrics(mantissaBits);
        ExactPixelMetrics exact = images.exact();

        assertWithin(exact.auroc(), metrics.auroc());
        assertWithin(exact.averagePrecision(), metrics.averagePrecision());
        assertWithin(exact.aupro(0.3), metrics.aupro(0.3));
        assertWithin(exact.aupro(1.0), metrics.aupro(1.0));
        sawPositiveBound |= metrics.auroc().tieBound() > 0;
      }
    }
    assertTrue(sawPositiveBound, "coarse bins should produce a non-zero tie bound");
  }

  @Test
  void defaultResolutionCloseToExact() {
    Random random = new Random(13);
    RandomImages images = RandomImages.generate(random, 8, 12, 10, random::nextGaussian, 1.0);
    PixelMetrics metrics = images.pixelMetrics(ScoreHistogram.DEFAULT_MANTISSA_BITS);
    ExactPixelMetrics exact = images.exact();

    // With 2^-14 relative bins almost no pair of random Gaussian scores shares a bin.
    assertTrue(metrics.auroc().tieBound() < 1e-3, metrics.auroc().toString());
    assertEquals(exact.auroc(), metrics.auroc().value(), 1e-3);
    assertEquals(exact.aupro(0.3), metrics.aupro(0.3).value(), 1e-3);
  }

  @Test
  void aurocInvariantUnderIncreasingTransform() {
    Random random = new Random(14);
    RandomImages images = RandomImages.generate(random, 6, 10, 8, random::nextGaussian, 1.0);
    RandomImages transformed = new RandomImages();
    for (int i = 0; i < images.maps.size(); i++) {
      AnomalyMap map = images.maps.get(i);
      float[] values = map.values().clone();
      for (int p = 0; p < values.length; p++) {
        values[p] = (float) Math.exp(values[p]) * 7 + 3;
      }
      transformed.maps.add(new AnomalyMap(map.width(), map.height(), values));
      transformed.masks.add(images.masks.get(i));
    }
    MetricValue before = images.pixelMetrics(10).auroc();
    MetricValue after = transformed.pixelMetrics(10).auroc();

    assertEquals(before.value(), after.value(), before.tieBound() + after.tieBound() + 1e-12);
  }

  @Test
  void integerAffineTransformKeepsAurocExactly() {
    Random random = new Random(15);
    RandomImages images = RandomImages.generate(random, 6, 8, 8, () -> random.nextInt(20), 4);
    RandomImages transformed = new RandomImages();
    for (int i = 0; i < images.maps.size(); i++) {
      float[] values = images.maps.get(i).values().clone();
      for (int p = 0; p < values.length; p++) {
        values[p] = 2 * values[p] + 1;
      }
      transformed.maps.add(new AnomalyMap(8, 8, values));
      transformed.masks.add(images.masks.get(i));
    }

    assertEquals(
        images.pixelMetrics(14).auroc().value(), transformed.pixelMetrics(14).auroc().value(), 0);
  }

  @Test
  void normalImagesOnlyAreUndefinedWithReason() {
    PixelMetrics metrics = new PixelMetrics();
    metrics.add(row(1f, 2f, 3f), null);

    for (MetricValue value :
        new MetricValue[] {metrics.auroc(), metrics.averagePrecision(), metrics.aupro()}) {
      assertTrue(Double.isNaN(value.value()), value.name());
      assertFalse(value.isDefined(), value.name());
      assertTrue(value.undefinedReason().contains("add anomalous images"), value.toString());
    }
    assertNull(metrics.rocCurve(100));
    assertNull(metrics.proCurve(0.3, 100));
  }

  @Test
  void allDefectPixelsLeaveApDefined() {
    PixelMetrics metrics = new PixelMetrics();
    metrics.add(row(1f, 2f), rowMask(true, true));

    assertFalse(metrics.auroc().isDefined());
    assertTrue(metrics.auroc().undefinedReason().contains("add normal images"));
    assertFalse(metrics.aupro().isDefined());
    assertEquals(1.0, metrics.averagePrecision().value(), 0);
  }

  @Test
  void invalidInputsRejectedWithImageName() {
    PixelMetrics metrics = new PixelMetrics();
    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () -> metrics.add("a.png", row(1f, 2f), rowMask(true, false, false)));
    assertTrue(size.getMessage().contains("a.png"), size.getMessage());
    assertTrue(size.getMessage().contains("2×1"), size.getMessage());

    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class, () -> metrics.add("b.png", row(1f, Float.NaN), null));
    assertTrue(nan.getMessage().contains("b.png"), nan.getMessage());
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    assertTrue(nan.getMessage().contains("x=1"), nan.getMessage());
    assertEquals(0, metrics.imageCount());
    assertEquals(0, metrics.negativePixels());
    assertThrows(IllegalArgumentException.class, () -> metrics.aupro(0));
    assertThrows(IllegalArgumentException.class, () -> metrics.aupro(1.5));
  }

  @Test
  void mergeEqualsSingleAccumulator() {
    Random random = new Random(16);
    RandomImages images = RandomImages.generate(random, 10, 8, 8, random::nextGaussian, 1.0);
    PixelMetrics all = images.pixelMetrics(14);
    PixelMetrics left = new PixelMetrics();
    PixelMetrics right = new PixelMetrics();
    for (int i = 0; i < images.maps.size(); i++) {
      (i < 4 ? left : right).add(images.maps.get(i), images.masks.get(i));
    }
    left.merge(right);

    assertEquals(all.auroc().value(), left.auroc().value(), 1e-15);
    assertEquals(all.aupro().value(), left.aupro().value(), 1e-12);
    assertEquals(all.regionCount(), left.regionCount());
    assertEquals(all.imageCount(), left.imageCount());
  }

  @Test
  void curvesSpanUnitSquareAndDownsample() {
    Random random = new Random(17);
    RandomImages images = RandomImages.generate(random, 20, 40, 40, random::nextGaussian, 1.0);
    PixelMetrics metrics = images.pixelMetrics(14);

    Curve roc = metrics.rocCurve(Curve.DEFAULT_MAX_POINTS);
    assertNotNull(roc);
    assertTrue(roc.size() <= Curve.DEFAULT_MAX_POINTS, "ROC points " + roc.size());
    assertTrue(roc.size() > 100, "ROC points " + roc.size());
    assertEquals(0, roc.x()[0], 0);
    assertEquals(0, roc.y()[0], 0);
    assertEquals(1, roc.x()[roc.size() - 1], 1e-15);
    assertEquals(1, roc.y()[roc.size() - 1], 1e-15);
    for (int i = 1; i < roc.size(); i++) {
      assertTrue(roc.x()[i] >= roc.x()[i - 1] && roc.y()[i] >= roc.y()[i - 1], "monotone " + i);
      assertTrue(roc.thresholds()[i] < roc.thresholds()[i - 1], "thresholds descend " + i);
    }

    Curve pro = metrics.proCurve(0.3, Curve.DEFAULT_MAX_POINTS);
    assertEquals(0.3, pro.x()[pro.size() - 1], 1e-15);
    assertTrue(pro.size() <= Curve.DEFAULT_MAX_POINTS);
  }

  private static void assertWithin(double exact, MetricValue binned) {
    assertTrue(binned.isDefined(), binned.toString());
    assertTrue(
        exact >= binned.lowerBound() - 1e-12 && exact <= binned.upperBound() + 1e-12,
        "exact %s outside [%s, %s] of %s"
            .formatted(exact, binned.lowerBound(), binned.upperBound(), binned));
  }
}
