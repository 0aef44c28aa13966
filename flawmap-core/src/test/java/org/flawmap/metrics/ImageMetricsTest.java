package org.flawmap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {

  @Test
  void aurocWithTiesClosedForm() {
    // Anomalous {0.9, 0.4, 0.4}, normal {0.4, 0.1}: pairs 1+1 + (1/2+1) + (1/2+1) = 5 of 6.
    double[] scores = {0.9, 0.4, 0.4, 0.4, 0.1};
    boolean[] labels = {true, true, true, false, false};
    assertEquals(5.0 / 6, ImageMetrics.auroc(scores, labels).value(), 1e-15);
  }

  @Test
  void averagePrecisionWithTiesClosedForm() {
    // Groups: {0.9: A} P=1 R=1/3; {0.4: A, A, N} P=3/4 R=1. AP = 1/3 + 2/3 * 3/4 = 5/6.
    double[] scores = {0.9, 0.4, 0.4, 0.4, 0.1};
    boolean[] labels = {true, true, true, false, false};
    assertEquals(5.0 / 6, ImageMetrics.averagePrecision(scores, labels).value(), 1e-15);
  }

  @Test
  void matchesPairwiseAndThresholdReference() {
    Random random = new Random(21);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(40);
      double[] scores = new double[n];
      boolean[] labels = new boolean[n];
      for (int i = 0; i < n; i++) {
        labels[i] = random.nextBoolean();
        scores[i] = random.nextInt(8) + (labels[i] ? 2 : 0);
      }
      labels[0] = true;
      labels[1] = false;

      assertEquals(
          pairwiseAuroc(scores, labels), ImageMetrics.auroc(scores, labels).value(), 1e-12);
      assertEquals(
          thresholdAp(scores, labels),
          ImageMetrics.averagePrecision(scores, labels).value(),
          1e-12);
    }
  }

  @Test
  void accumulatorMatchesStaticForm() {
    ImageMetrics metrics = new ImageMetrics();
    metrics.add("a", 0.9, true);
    metrics.add("b", 0.2, false);
    metrics.add("c", 0.5, false);
    metrics.add("d", 0.5, true);

    assertEquals(2, metrics.anomalousCount());
    assertEquals(2, metrics.normalCount());
    assertEquals(
        ImageMetrics.auroc(
                new double[] {0.9, 0.2, 0.5, 0.5}, new boolean[] {true, false, false, true})
            .value(),
        metrics.auroc().value(),
        0);
    assertEquals(0.875, metrics.auroc().value(), 1e-15);
  }

  @Test
  void oneClassUndefinedWithReason() {
    MetricValue noNormal = ImageMetrics.auroc(new double[] {1, 2}, new boolean[] {true, true});
    assertFalse(noNormal.isDefined());
    assertTrue(noNormal.undefinedReason().contains("add normal images"));
    MetricValue noAnomalous =
        ImageMetrics.averagePrecision(new double[] {1, 2}, new boolean[] {false, false});
    assertTrue(Double.isNaN(noAnomalous.value()));
    assertTrue(noAnomalous.undefinedReason().contains("add anomalous images"));
    assertEquals(
        1.0,
        ImageMetrics.averagePrecision(new double[] {1, 2}, new boolean[] {true, true}).value());
  }

  @Test
  void invalidInputRejected() {
    ImageMetrics metrics = new ImageMetrics();
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> metrics.add("x.png", Double.NaN, true));
    assertTrue(error.getMessage().contains("x.png"), error.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageMetrics.auroc(new double[] {1}, new boolean[] {true, false}));
  }

  private static double pairwiseAuroc(double[] scores, boolean[] labels) {
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores.length; j++) {
        if (labels[i] && !labels[j]) {
          pairs++;
          if (scores[i] > scores[j]) {
            sum += 1;
          } else if (scores[i] == scores[j]) {
            sum += 0.5;
          }
        }
      }
    }
    return sum / pairs;
  }

  private static double thresholdAp(double[] scores, boolean[] labels) {
    double[] thresholds = java.util.Arrays.stream(scores).distinct().sorted().toArray();
    int positives = 0;
    for (boolean label : labels) {
      positives += label ? 1 : 0;
    }
    double sum = 0;
    double previousRecall = 0;
    for (int k = thresholds.length - 1; k >= 0; k--) {
      int tp = 0;
      int predicted = 0;
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] >= thresholds[k]) {
          predicted++;
          tp += labels[i] ? 1 : 0;
        }
      }
      double recall = (double) tp / positives;
      sum += (recall - previousRecall) * tp / predicted;
      previousRecall = recall;
    }
    return sum;
  }
}
