package org.flawmap.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.labels.Background;
import org.flawmap.labels.DefectCategory;
import org.flawmap.labels.LabelRow;
import org.junit.jupiter.api.Test;

class AdvisorTest {

  private static List<LabelRow> rows(int structural, int surface) {
    List<LabelRow> rows = new ArrayList<>();
    for (int i = 0; i < structural + surface; i++) {
      rows.add(new LabelRow("test/x/" + i + ".png", "p", Background.WITHOUT,
          i < structural ? DefectCategory.STRUCTURAL : DefectCategory.SURFACE, ""));
    }
    return rows;
  }

  @Test
  void guidanceWithoutResultsIsPadimIouCurve() {
    Advisor.Advice a = Advisor.advise(rows(8, 2), null);
    assertEquals("padim", a.model());
    assertEquals("iou-curve", a.estimator());
  }

  @Test
  void surfaceDominatedMixMentionsCflow() {
    Advisor.Advice a = Advisor.advise(rows(2, 8), null);
    assertTrue(a.reasons().stream().anyMatch(r -> r.contains("CFLOW")), a.format());
    assertTrue(a.reasons().get(0).contains("surface 80%"), a.format());
  }

  @Test
  void measuredResultsWeightCategoriesByShare() throws Exception {
    // Model A is better on structural, B on surface; a surface-heavy product must get B.
    String json = """
        {"cells": [
          {"product": "p", "model": "a", "backbone": "bb", "seed": 1, "rows": [
            {"estimator": "f1", "group": "category=structural", "metrics": {"mean_iou": 0.6}},
            {"estimator": "f1", "group": "category=surface", "metrics": {"mean_iou": 0.1}}]},
          {"product": "p", "model": "b", "backbone": "bb", "seed": 1, "rows": [
            {"estimator": "roc", "group": "category=structural", "metrics": {"mean_iou": 0.3}},
            {"estimator": "roc", "group": "category=surface", "metrics": {"mean_iou": 0.4}}]}
        ]}""";
    JsonNode results = new ObjectMapper().readTree(json);
    Advisor.Advice surfaceHeavy = Advisor.advise(rows(2, 8), results);
    assertEquals("b", surfaceHeavy.model());
    assertEquals("roc", surfaceHeavy.estimator());
    // 0.2 * 0.3 + 0.8 * 0.4 = 0.38 for b against 0.2 * 0.6 + 0.8 * 0.1 = 0.20 for a.
    assertTrue(surfaceHeavy.reasons().get(1).contains("0.3800"), surfaceHeavy.format());
    Advisor.Advice structuralHeavy = Advisor.advise(rows(8, 2), results);
    assertEquals("a", structuralHeavy.model());
  }

  @Test
  void mixedProductsAreRejected() {
    List<LabelRow> rows = new ArrayList<>(rows(2, 2));
    rows.add(new LabelRow("test/y/0.png", "other", Background.WITH, DefectCategory.SURFACE, ""));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Advisor.advise(rows, null));
    assertTrue(e.getMessage().contains("mixes products"), e.getMessage());
  }

  @Test
  void resultsOfAnotherProductAreRejected() throws Exception {
    JsonNode results = new ObjectMapper().readTree("""
        {"cells": [{"product": "q", "model": "a", "backbone": "bb", "seed": 1, "rows": []}]}""");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Advisor.advise(rows(2, 2), results));
    assertTrue(e.getMessage().contains("no cell for product p"), e.getMessage());
  }
}
