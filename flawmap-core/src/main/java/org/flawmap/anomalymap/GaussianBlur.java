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

  /**
   * Returns the smoothed map. Each row, then each column, is copied into a buffer padded by
   * reflection, so the inner loop reads contiguous memory without index arithmetic. The sums
   * run in the same order as in {@link #convolveReference}, so results are bit-identical.
   */
  public AnomalyMap apply(AnomalyMap map) {
    int w = map.width();
    int h = map.height();
    float[] values = map.values();
    float[] padded = new float[Math.max(w, h) + 2 * radius];
    float[] line = new float[Math.max(w, h)];

    float[] horizontal = new float[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(values, y * w, line, 0, w);
      convolvePadded(line, w, padded);
      System.arraycopy(padded, 0, horizontal, y * w, w);
    }

    float[] out = new float[w * h];
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        line[y] = horizontal[y * w + x];
      }
      convolvePadded(line, h, padded);
      for (int y = 0; y < h; y++) {
        out[y * w + x] = padded[y];
      }
    }
    return new AnomalyMap(w, h, out);
  }

  /**
   * Convolves {@code line[0, length)} and writes the result to {@code work[0, length)}. The
   * array {@code work} needs {@code length + 2 × radius} floats.
   */
  private void convolvePadded(float[] line, int length, float[] work) {
    // work first contains the reflected line at [0, length + 2r). Results overwrite its head,
    // which is safe because output i reads inputs i .. i + 2r only.
    for (int i = -radius; i < length + radius; i++) {
      work[i + radius] = line[reflect(i, length)];
    }
    int taps = kernel.length;
    for (int i = 0; i < length; i++) {
      float acc = 0;
      for (int k = 0; k < taps; k++) {
        acc += kernel[k] * work[i + k];
      }
      work[i] = acc;
    }
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
