package org.flawmap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {

  private static AnomalyMap row(float... scores) {
    return new AnomalyMap(scores.length, 1, scores);
  }

  private static Mask rowMask(boolean... pixels) {
    return new Mask(pixels.length, 1, pixels);
  }

  /** Four images at pixel threshold 0.5 and image threshold 0.8. */
  private static InferenceMetrics handCase() {
    InferenceMetrics metrics = new InferenceMetrics(0.5f, 0.8);
    // Anomalous: tp 2, fp 1, fn 1 -> IoU 1/2, F1 4/6. Image score 0.9 (detected).
    metrics.add("a1", row(0.9f, 0.6f, 0.2f, 0.5f), rowMask(true, true, true, false));
    // Anomalous: tp 0, fp 0, fn 1 -> IoU 0, F1 0. Image score 0.3 (missed).
    metrics.add("a2", row(0.3f, 0.1f), rowMask(true, false));
    // Normal: one pixel at 0.5 predicted, image score 0.5 below 0.8.
    metrics.add("n1", row(0.5f, 0.1f, 0.1f), null);
    // Normal: nothing predicted, but image score 0.85 passed explicitly.
    metrics.add("n2", row(0.2f, 0.2f), null, 0.85, false);
    return metrics;
  }

  @Test
  void pooledPixelCountsByHand() {
    InferenceMetrics metrics = handCase();

    assertEquals(new BinaryCounts(2, 2, 2, 5), metrics.pixelCounts());
    assertEquals(0.5, metrics.pixelPrecision(), 1e-15);
    assertEquals(0.5, metrics.pixelRecall(), 1e-15);
    assertEquals(0.5, metrics.pixelF1(), 1e-15);
    assertEquals(2.0 / 6, metrics.pixelIou(), 1e-15);
  }

  @Test
  void perImageMeansOverDefectImages() {
    InferenceMetrics metrics = handCase();

    assertEquals((0.5 + 0) / 2, metrics.meanImageIou().value(), 1e-15);
    assertEquals((4.0 / 6 + 0) / 2, metrics.meanImageF1().value(), 1e-15);
  }

  @Test
  void imageLevelDecisionsByHand() {
    InferenceMetrics metrics = handCase();

    // a1 tp, a2 fn, n1 tn, n2 fp.
    assertEquals(new BinaryCounts(1, 1, 1, 1), metrics.imageCounts());
    assertEquals(0.5, metrics.imagePrecision(), 1e-15);
    assertEquals(0.5, metrics.imageRecall(), 1e-15);
    assertEquals(0.5, metrics.imageF1(), 1e-15);
    assertEquals(0.5, metrics.imageAccuracy(), 1e-15);
  }

  @Test
  void normalImageRatesByHand() {
    InferenceMetrics metrics = handCase();

    assertEquals(0.5, metrics.normalImageFalsePositiveRate().value(), 1e-15);
    assertEquals(0.5, metrics.normalImagePixelAlarmRate().value(), 1e-15);
    assertEquals(1.0 / 5, metrics.normalPixelFalsePositiveRate().value(), 1e-15);
  }

  @Test
  void matchesDirectCountOnRandomImages() {
    Random random = new Random(31);
    RandomImages images = RandomImages.generate(random, 8, 6, 5, random::nextGaussian, 1.0);
    float threshold = 0.7f;
    InferenceMetrics metrics = new InferenceMetrics(threshold, 1.5);
    long tp = 0;
    long predicted = 0;
    for (int i = 0; i < images.maps.size(); i++) {
      metrics.add("image-" + i, images.maps.get(i), images.masks.get(i));
      float[] values = images.maps.get(i).values();
      for (int p = 0; p < values.length; p++) {
        boolean on = images.masks.get(i) != null && images.masks.get(i).pixels()[p];
        if (values[p] >= threshold) {
          predicted++;
          tp += on ? 1 : 0;
        }
      }
    }

    assertEquals(tp, metrics.pixelCounts().tp());
    assertEquals(predicted, metrics.pixelCounts().predictedPositives());
    assertEquals(8 * 30, metrics.pixelCounts().total());
  }

  @Test
  void emptySetsUndefinedWithReason() {
    InferenceMetrics metrics = new InferenceMetrics(0.5f, 0.5);
    metrics.add("n", row(0.1f), null);
    assertFalse(metrics.meanImageIou().isDefined());
    assertTrue(metrics.meanImageIou().undefinedReason().contains("add anomalous images"));

    InferenceMetrics anomalousOnly = new InferenceMetrics(0.5f, 0.5);
    anomalousOnly.add("a", row(0.9f), rowMask(true));
    assertFalse(anomalousOnly.normalImageFalsePositiveRate().isDefined());
    assertFalse(anomalousOnly.normalPixelFalsePositiveRate().isDefined());
  }

  @Test
  void inconsistentInputsRejected() {
    InferenceMetrics metrics = new InferenceMetrics(0.5f, 0.5);
    IllegalArgumentException label =
        assertThrows(
            IllegalArgumentException.class,
            () -> metrics.add("n.png", row(0.1f, 0.2f), rowMask(true, false), 0.2, false));
    assertTrue(label.getMessage().contains("n.png"), label.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> metrics.add("x", row(0.1f), null, Double.POSITIVE_INFINITY, false));
    assertThrows(IllegalArgumentException.class, () -> new InferenceMetrics(Float.NaN, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> metrics.merge(new InferenceMetrics(0.4f, 0.5)));
    assertEquals(0, metrics.images().size());
  }
}
