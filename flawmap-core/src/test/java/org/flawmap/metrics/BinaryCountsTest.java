package org.flawmap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BinaryCountsTest {

  @Test
  void ratiosClosedForm() {
    BinaryCounts counts = new BinaryCounts(6, 2, 4, 8);

    assertEquals(0.75, counts.precision(), 1e-15);
    assertEquals(0.6, counts.recall(), 1e-15);
    assertEquals(12.0 / 18, counts.f1(), 1e-15);
    assertEquals(6.0 / 12, counts.iou(), 1e-15);
    assertEquals(14.0 / 20, counts.accuracy(), 1e-15);
    assertEquals(0.2, counts.falsePositiveRate(), 1e-15);
    double harmonic =
        2 * counts.precision() * counts.recall() / (counts.precision() + counts.recall());
    assertEquals(harmonic, counts.f1(), 1e-15);
  }

  @Test
  void zeroDenominatorsFollowConvention() {
    BinaryCounts empty = new BinaryCounts(0, 0, 0, 5);
    assertEquals(1.0, empty.precision());
    assertEquals(1.0, empty.recall());
    assertEquals(1.0, empty.f1());
    assertEquals(1.0, empty.iou());
    assertEquals(0.0, empty.falsePositiveRate());
    assertEquals(1.0, BinaryCounts.ZERO.accuracy());
    assertEquals(0.0, new BinaryCounts(3, 0, 0, 0).falsePositiveRate());

    BinaryCounts missed = new BinaryCounts(0, 0, 4, 5);
    assertEquals(1.0, missed.precision());
    assertEquals(0.0, missed.recall());
    assertEquals(0.0, missed.f1());
    assertEquals(0.0, missed.iou());

    BinaryCounts falseAlarm = new BinaryCounts(0, 3, 0, 5);
    assertEquals(0.0, falseAlarm.precision());
    assertEquals(1.0, falseAlarm.recall());
    assertEquals(0.0, falseAlarm.f1());
  }

  @Test
  void pixelCountingUsesGreaterOrEqual() {
    float[] scores = {0.1f, 0.5f, 0.5f, 0.9f};
    boolean[] truth = {false, true, false, true};
    BinaryCounts counts = BinaryCounts.ofPixels(scores, truth, 0.5f);

    assertEquals(new BinaryCounts(2, 1, 0, 1), counts);
    assertEquals(new BinaryCounts(0, 3, 0, 1), BinaryCounts.ofPixels(scores, null, 0.5f));
  }

  @Test
  void plusAddsDecisions() {
    BinaryCounts counts =
        BinaryCounts.ZERO.plus(true, true).plus(true, false).plus(false, true).plus(false, false);
    assertEquals(new BinaryCounts(1, 1, 1, 1), counts);
    assertEquals(new BinaryCounts(2, 2, 2, 2), counts.plus(counts));
  }

  @Test
  void negativeCountsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new BinaryCounts(-1, 0, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> BinaryCounts.ofPixels(new float[2], new boolean[3], 0f));
  }
}
