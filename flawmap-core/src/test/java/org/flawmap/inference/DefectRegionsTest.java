package org.flawmap.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.junit.jupiter.api.Test;

class DefectRegionsTest {

  @Test
  void twoBlobsGiveBoxesAreasAndPeaks() {
    int w = 8;
    int h = 6;
    float[] values = new float[w * h];
    boolean[] mask = new boolean[w * h];
    // Blob A: 2 × 2 at (1, 1) with peak 5 at (2, 2); blob B: a diagonal pair, peak 9.
    for (int y = 1; y <= 2; y++) {
      for (int x = 1; x <= 2; x++) {
        mask[y * w + x] = true;
        values[y * w + x] = 1;
      }
    }
    values[2 * w + 2] = 5;
    mask[4 * w + 5] = true;
    mask[5 * w + 6] = true;
    values[5 * w + 6] = 9;

    List<DefectRegions.Region> regions = DefectRegions.of(new AnomalyMap(w, h, values), mask);

    assertEquals(2, regions.size());
    assertEquals(new DefectRegions.Region(5, 4, 2, 2, 2, 9, 6, 5), regions.get(0));
    assertEquals(new DefectRegions.Region(1, 1, 2, 2, 4, 5, 2, 2), regions.get(1));
  }

  @Test
  void randomMaskRegionsAreConsistent() {
    Random random = new Random(7);
    int w = 40;
    int h = 30;
    float[] values = new float[w * h];
    boolean[] mask = new boolean[w * h];
    int on = 0;
    for (int i = 0; i < mask.length; i++) {
      values[i] = random.nextFloat();
      mask[i] = random.nextFloat() < 0.3;
      on += mask[i] ? 1 : 0;
    }

    List<DefectRegions.Region> regions = DefectRegions.of(new AnomalyMap(w, h, values), mask);

    int total = 0;
    for (DefectRegions.Region r : regions) {
      total += r.area();
      assertTrue(r.peakX() >= r.x());
      assertTrue(r.peakX() < r.x() + r.width());
      assertTrue(r.peakY() >= r.y());
      assertTrue(r.peakY() < r.y() + r.height());
      assertTrue(mask[r.peakY() * w + r.peakX()]);
      assertEquals(values[r.peakY() * w + r.peakX()], r.peakScore(), 0.0);
    }
    assertEquals(on, total);
    for (int i = 1; i < regions.size(); i++) {
      assertTrue(regions.get(i - 1).peakScore() >= regions.get(i).peakScore());
    }
  }

  @Test
  void emptyAndMismatchedMasks() {
    AnomalyMap map = new AnomalyMap(3, 2, new float[6]);
    assertEquals(List.of(), DefectRegions.of(map, new boolean[6]));
    assertThrows(IllegalArgumentException.class, () -> DefectRegions.of(map, new boolean[5]));
  }
}
