package org.flawmap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;
import org.junit.jupiter.api.Test;

class GroupedMetricsTest {

  @Test
  void groupEqualsItsImagesPlusAllNormals() {
    Random random = new Random(41);
    RandomImages images = RandomImages.generate(random, 12, 8, 8, random::nextGaussian, 1.0);
    GroupedMetrics grouped = new GroupedMetrics(0.5f, 1.0);
    PixelMetrics crackOnly = new PixelMetrics();
    ImageMetrics crackImages = new ImageMetrics();
    for (int i = 0; i < images.maps.size(); i++) {
      AnomalyMap map = images.maps.get(i);
      Mask mask = images.masks.get(i);
      boolean anomalous = mask != null;
      // Anomalous images alternate between two defect types; normal images come first in pairs,
      // so some normals arrive before the first "scratch" image.
      String type = i % 4 == 0 ? "defect_type=crack" : "defect_type=scratch";
      grouped.add("image-" + i, map, mask, map.max(), anomalous, List.of(type));
      if (!anomalous || type.equals("defect_type=crack")) {
        crackOnly.add(map, mask);
        crackImages.add("image-" + i, map.max(), anomalous);
      }
    }

    MetricsGroup crack = grouped.group("defect_type=crack");
    assertEquals(crackOnly.auroc().value(), crack.pixel().auroc().value(), 0);
    assertEquals(crackOnly.aupro().value(), crack.pixel().aupro().value(), 1e-15);
    assertEquals(crackImages.auroc().value(), crack.image().auroc().value(), 0);
    assertEquals(3, crack.anomalousImages());
    assertEquals(6, crack.normalImages());
    assertEquals(9, crack.inference().images().size());

    MetricsGroup scratch = grouped.group("defect_type=scratch");
    assertEquals(3, scratch.anomalousImages());
    assertEquals(6, scratch.normalImages());
    assertEquals(12, grouped.group(GroupedMetrics.ALL).image().images().size());
  }

  @Test
  void groupKeysSortedWithAll() {
    GroupedMetrics grouped = new GroupedMetrics();
    AnomalyMap map = new AnomalyMap(2, 1, new float[] {1f, 0f});
    Mask mask = new Mask(2, 1, new boolean[] {true, false});
    grouped.add("a", map, mask, 1.0, true, List.of("category=surface", "background=with"));

    assertEquals(List.of("all", "background=with", "category=surface"), grouped.groupKeys());
    assertNull(grouped.group("all").inference());
    assertEquals(3, grouped.groups().size());
  }

  @Test
  void unknownGroupAndBadImageRejected() {
    GroupedMetrics grouped = new GroupedMetrics(0.5f, 0.5);
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> grouped.group("defect_type=hole"));
    assertTrue(unknown.getMessage().contains("all"), unknown.getMessage());

    AnomalyMap bad = new AnomalyMap(2, 1, new float[] {Float.NaN, 0f});
    Mask mask = new Mask(2, 1, new boolean[] {true, false});
    assertThrows(
        IllegalArgumentException.class,
        () -> grouped.add("bad", bad, mask, 1.0, true, List.of("defect_type=crack")));
    assertEquals(List.of("all"), grouped.groupKeys());
    assertEquals(0, grouped.group("all").pixel().imageCount());
    assertThrows(IllegalArgumentException.class, () -> new GroupedMetrics(14, 0.5f, null));
  }
}
