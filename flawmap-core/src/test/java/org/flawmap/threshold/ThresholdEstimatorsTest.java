package org.flawmap.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.junit.jupiter.api.Test;

/** Registry, options, fallback and input rejection. */
class ThresholdEstimatorsTest {

  private static ValidationImage normal(String id, float... scores) {
    return ValidationImage.normal(id, new AnomalyMap(scores.length, 1, scores));
  }

  @Test
  void registryReturnsEveryName() {
    for (String name : ThresholdEstimators.names()) {
      assertEquals(name, ThresholdEstimators.byName(name).name());
    }
    assertEquals("iou-curve", ThresholdEstimators.DEFAULT);
  }

  @Test
  void unknownEstimatorListsValidNames() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> ThresholdEstimators.byName("otsu"));
    assertTrue(error.getMessage().contains("'otsu'"), error.getMessage());
    for (String name : ThresholdEstimators.names()) {
      assertTrue(error.getMessage().contains(name), error.getMessage());
    }
  }

  @Test
  void optionsParseAndValidate() {
    ThresholdOptions parsed =
        ThresholdOptions.parse(Map.of("k", "2.5", "quantile", "1", "target-fpr", "0.01"));
    assertEquals(2.5, parsed.k());
    assertEquals(1.0, parsed.quantile());
    assertEquals(0.01, parsed.targetFpr());
    assertEquals(ThresholdOptions.DEFAULT_MAX_CANDIDATES, parsed.maxCandidates());

    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> ThresholdOptions.parse(Map.of("quantile", "1.5")));
    assertTrue(range.getMessage().contains("quantile=1.5"), range.getMessage());
    IllegalArgumentException notNumber =
        assertThrows(
            IllegalArgumentException.class, () -> ThresholdOptions.parse(Map.of("k", "x")));
    assertTrue(notNumber.getMessage().contains("k=x"), notNumber.getMessage());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> ThresholdOptions.parse(Map.of("sigma", "3")));
    assertTrue(unknown.getMessage().contains("max-candidates"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ThresholdOptions.defaults().withK(-1));
    assertThrows(
        IllegalArgumentException.class, () -> ThresholdOptions.defaults().withTargetFpr(-0.1));
    assertThrows(
        IllegalArgumentException.class, () -> ThresholdOptions.defaults().withMaxCandidates(1));
  }

  @Test
  void curveEstimatorsFallBackWithoutDefects() {
    List<ValidationImage> validation = List.of(normal("a", 1, 2), normal("b", 3, 4));
    ThresholdResult reference = ThresholdEstimators.byName("normal-stats").estimate(validation);

    for (String name : List.of("f1", "iou-curve", "roc")) {
      ThresholdResult result = ThresholdEstimators.byName(name).estimate(validation);

      assertTrue(result.fellBack(), name);
      assertEquals(name, result.requestedEstimator());
      assertEquals("normal-stats", result.estimator());
      assertEquals(reference.threshold(), result.threshold(), name);
      assertEquals(1, result.warnings().size(), name);
      String warning = result.warnings().get(0);
      assertTrue(warning.contains("fell back to normal-stats"), warning);
      assertTrue(warning.contains("Add anomalous validation images"), warning);
      assertNull(result.curve());
    }
  }

  @Test
  void anomalousImageWithoutMaskIsWarnedAndSkipped() {
    AnomalyMap map = new AnomalyMap(2, 1, new float[] {5, 6});
    List<ValidationImage> validation =
        List.of(normal("a", 1, 2), new ValidationImage("nomask.png", map, null, true));
    ThresholdResult result = ThresholdEstimators.byName("f1").estimate(validation);

    assertTrue(result.fellBack());
    assertTrue(result.warnings().get(0).contains("nomask.png"), result.warnings().toString());
  }

  @Test
  void targetFprRunsWithoutDefects() {
    float[] scores = new float[100];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = i + 1;
    }
    ThresholdResult result =
        new RocEstimator(ThresholdOptions.defaults().withTargetFpr(0.05))
            .estimate(List.of(normal("a", scores)));

    assertEquals(96f, result.threshold());
    assertEquals(0.05, result.criterionValue(), 1e-15);
    assertTrue(result.warnings().isEmpty());
  }

  @Test
  void constantMapsRejected() {
    List<ValidationImage> validation = List.of(normal("a", 2, 2), normal("b", 2));
    for (String name : ThresholdEstimators.names()) {
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> ThresholdEstimators.byName(name).estimate(validation));
      assertTrue(error.getMessage().contains("have score 2.0"), error.getMessage());
    }
  }

  @Test
  void nonFiniteAndInconsistentImagesRejected() {
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> normal("bad.png", 1, Float.NaN));
    assertTrue(nan.getMessage().contains("bad.png"), nan.getMessage());
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> normal("inf.png", Float.NEGATIVE_INFINITY, 1));

    Mask mask = new Mask(2, 1, new boolean[] {true, false});
    AnomalyMap map = new AnomalyMap(2, 1, new float[] {1, 2});
    assertThrows(
        IllegalArgumentException.class, () -> new ValidationImage("n.png", map, mask, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> ValidationImage.anomalous("s.png", map, Mask.empty(3, 1)));
    assertThrows(
        IllegalArgumentException.class, () -> ThresholdEstimators.byName("f1").estimate(List.of()));
  }
}
