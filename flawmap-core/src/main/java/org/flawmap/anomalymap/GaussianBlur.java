package org.flawmap.anomalymap;

import java.util.Arrays;

/**
 * Separable Gaussian smoothing of anomaly maps. The kernel has radius {@code round(4σ)} and is
 * normalised to sum 1; borders are reflected ({@code dcba|abcd|dcba}), so a constant map stays
 * constant. PaDiM (Defard et al., 2020) smooths its map with σ = 4 at the 224-pixel input scale.
 */
public final class GaussianBlur {

  private final float[] kernel;
  private final int radius;

  public GaussianBlur(double sigma) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("blur sigma must be positive, found " + sigma);
    }
    this.radius = (int) Math.round(4 * sigma);
    this.kernel = new float[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      double w = Math.exp(-(i * (double) i) / (2 * sigma * sigma));
      kernel[i + radius] = (float) w;
      sum += w;
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) (kernel[i] / sum);
    }
  }

  /**
   * Returns the smoothed map. Both passes add one tap at a time to a whole row of sums, which
   * is a loop over contiguous memory that the JIT vectorises. C2 does so only when every array
   * in the loop has the same index, hence the shifted copy in the horizontal pass. Each output
   * still sums its taps from the first to the last, as in {@link #convolveReference}, so
   * results are bit-identical to it.
   */
  public AnomalyMap apply(AnomalyMap map) {
    int w = map.width();
    int h = map.height();
    float[] values = map.values();
    int taps = kernel.length;

    // Horizontal pass: each row, padded by reflection, then one shifted copy per tap.
    float[][] horizontal = new float[h][];
    float[] padded = new float[w + 2 * radius];
    float[] shifted = new float[w];
    for (int y = 0; y < h; y++) {
      for (int i = -radius; i < w + radius; i++) {
        padded[i + radius] = values[y * w + reflect(i, w)];
      }
      float[] sums = new float[w];
      for (int k = 0; k < taps; k++) {
        System.arraycopy(padded, k, shifted, 0, w);
        float weight = kernel[k];
        for (int x = 0; x < w; x++) {
          sums[x] += weight * shifted[x];
        }
      }
      horizontal[y] = sums;
    }

    // Vertical pass: output row y adds the rows y - r .. y + r, reflected at the edges.
    float[] out = new float[w * h];
    float[] sums = new float[w];
    for (int y = 0; y < h; y++) {
      Arrays.fill(sums, 0f);
      for (int k = 0; k < taps; k++) {
        float[] row = horizontal[reflect(y + k - radius, h)];
        float weight = kernel[k];
        for (int x = 0; x < w; x++) {
          sums[x] += weight * row[x];
        }
      }
      System.arraycopy(sums, 0, out, y * w, w);
    }
    return new AnomalyMap(w, h, out);
  }

  /**
   * Convolves one line with reflection computed per tap: the plain form of {@link #apply},
   * kept as the reference that tests compare it with.
   */
  void convolveReference(
      float[] src, int start, int step, int length, float[] dst, int dstStart, int dstStep) {
    for (int i = 0; i < length; i++) {
      float acc = 0;
      for (int k = -radius; k <= radius; k++) {
        acc += kernel[k + radius] * src[start + step * reflect(i + k, length)];
      }
      dst[dstStart + dstStep * i] = acc;
    }
  }

  /** Maps an index outside {@code [0, length)} back inside by reflecting about the edges. */
  static int reflect(int i, int length) {
    if (length == 1) {
      return 0;
    }
    int period = 2 * length;
    int m = Math.floorMod(i, period);
    return m < length ? m : period - 1 - m;
  }
}
