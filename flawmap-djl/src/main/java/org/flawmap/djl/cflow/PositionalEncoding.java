package org.flawmap.djl.cflow;

/**
 * The 2D sinusoidal positional encoding that conditions CFLOW's decoders on a feature cell's
 * position (Gudovskiy et al., 2022, after the 1D encoding of Vaswani et al., 2017). The first
 * half of the {@code dim} values encodes the column x and the second half the row y, each as
 * pairs {@code sin(pos·ω_k), cos(pos·ω_k)} with {@code ω_k = 10000^(-4k/dim)}, where positions
 * are cell indices.
 */
final class PositionalEncoding {

  private PositionalEncoding() {}

  /** Returns a row-major {@code (height · width) × dim} table, one row per cell. */
  static float[] table(int height, int width, int dim) {
    int half = dim / 2;
    float[] out = new float[height * width * dim];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = (y * width + x) * dim;
        encode(x, half, out, base);
        encode(y, half, out, base + half);
      }
    }
    return out;
  }

  private static void encode(int position, int length, float[] out, int offset) {
    for (int k = 0; k < length / 2; k++) {
      double frequency = Math.pow(10000.0, -2.0 * k / length);
      out[offset + 2 * k] = (float) Math.sin(position * frequency);
      out[offset + 2 * k + 1] = (float) Math.cos(position * frequency);
    }
  }
}
