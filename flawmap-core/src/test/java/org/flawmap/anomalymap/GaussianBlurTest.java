package org.flawmap.anomalymap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianBlurTest {

  /** Blurs rows then columns with {@link GaussianBlur#convolveReference}. */
  private static float[] reference(GaussianBlur blur, float[] values, int w, int h) {
    float[] horizontal = new float[w * h];
    for (int y = 0; y < h; y++) {
      blur.convolveReference(values, y * w, 1, w, horizontal, y * w, 1);
    }
    float[] out = new float[w * h];
    for (int x = 0; x < w; x++) {
      blur.convolveReference(horizontal, x, w, h, out, x, w);
    }
    return out;
  }

  @Test
  void applyMatchesReferenceBitForBit() {
    Random random = new Random(3);
    int[][] sizes = {{224, 224}, {37, 5}, {1, 9}, {9, 1}, {3, 40}, {1, 1}};
    for (double sigma : new double[] {0.5, 2, 4}) {
      GaussianBlur blur = new GaussianBlur(sigma);
      for (int[] size : sizes) {
        int w = size[0];
        int h = size[1];
        float[] values = new float[w * h];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * 10 + 20);
        }
        float[] fast = blur.apply(new AnomalyMap(w, h, values)).values();
        // Exact equality: the fast path must sum in the reference's order.
        assertArrayEquals(reference(blur, values, w, h), fast, 0f,
            "sigma " + sigma + ", " + w + "x" + h);
      }
    }
  }
}
