package org.flawmap.anomalymap;

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

  public AnomalyMap apply(AnomalyMap map) {
    int w = map.width();
    int h = map.height();
    float[] horizontal = new float[w * h];
    for (int y = 0; y < h; y++) {
      convolveLine(map.values(), y * w, 1, w, horizontal, y * w, 1);
    }
    float[] out = new float[w * h];
    for (int x = 0; x < w; x++) {
      convolveLine(horizontal, x, w, h, out, x, w);
    }
    return new AnomalyMap(w, h, out);
  }

  private void convolveLine(
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
