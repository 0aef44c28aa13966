package org.flawmap.anomalymap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MapOpsTest {

  @Test
  void bilinearMatchesPixelCentreFormula() {
    Random random = new Random(3);
    float[] src = new float[5 * 4];
    for (int i = 0; i < src.length; i++) {
      src[i] = random.nextFloat();
    }
    float[] dst = MapResize.bilinear(src, 5, 4, 13, 7);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 13; x++) {
        double sx = Math.min(Math.max((x + 0.5) * 5 / 13.0 - 0.5, 0), 4);
        double sy = Math.min(Math.max((y + 0.5) * 4 / 7.0 - 0.5, 0), 3);
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        int x1 = Math.min(x0 + 1, 4);
        int y1 = Math.min(y0 + 1, 3);
        double fx = sx - x0;
        double fy = sy - y0;
        double expected =
            (1 - fy) * ((1 - fx) * src[y0 * 5 + x0] + fx * src[y0 * 5 + x1])
                + fy * ((1 - fx) * src[y1 * 5 + x0] + fx * src[y1 * 5 + x1]);
        assertEquals(expected, dst[y * 13 + x], 1e-6, "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void integerUpsampleKeepsBlockCentres() {
    // 2x upsampling of [0, 1]: centres at 0.25 and 0.75 of the span give 0, 0.25, 0.75, 1.
    float[] dst = MapResize.bilinear(new float[] {0, 1}, 2, 1, 4, 1);
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, dst, 1e-7f);
  }

  @Test
  void blurKeepsConstantAndMass() {
    float[] values = new float[40 * 30];
    java.util.Arrays.fill(values, 2.5f);
    AnomalyMap blurred = new GaussianBlur(4).apply(new AnomalyMap(40, 30, values));
    for (float v : blurred.values()) {
      assertEquals(2.5f, v, 1e-5f);
    }
  }

  @Test
  void blurOfImpulseIsGaussian() {
    int n = 81;
    float[] values = new float[n * n];
    values[40 * n + 40] = 1;
    AnomalyMap blurred = new GaussianBlur(2).apply(new AnomalyMap(n, n, values));
    double norm = 0;
    for (int i = -8; i <= 8; i++) {
      norm += Math.exp(-i * i / 8.0);
    }
    for (int dy = -3; dy <= 3; dy++) {
      for (int dx = -3; dx <= 3; dx++) {
        double expected = Math.exp(-(dx * dx + dy * dy) / 8.0) / (norm * norm);
        assertEquals(expected, blurred.get(40 + dx, 40 + dy), 1e-6);
      }
    }
  }

  @Test
  void reflectIndexing() {
    assertEquals(0, GaussianBlur.reflect(-1, 4));
    assertEquals(1, GaussianBlur.reflect(-2, 4));
    assertEquals(3, GaussianBlur.reflect(4, 4));
    assertEquals(2, GaussianBlur.reflect(5, 4));
    assertEquals(0, GaussianBlur.reflect(9, 1));
  }
}
