package org.flawmap.djl.features;

/**
 * Per-channel mean and standard deviation of the training grids, so that every channel enters
 * the network with zero mean and unit variance and no stage dominates the loss by its scale.
 * The statistics are accumulated in double precision over all cells of all training images and
 * stored in the model, because test images are normalised with them too.
 */
public final class ChannelStats {

  /** Below this standard deviation a channel is treated as constant and divided by 1. */
  public static final double MIN_STD = 1e-6;

  private final float[] mean;
  private final float[] std;

  public ChannelStats(float[] mean, float[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(
          "channel statistics need as many means as deviations, found %d and %d"
              .formatted(mean.length, std.length));
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** Sums of the values and their squares per channel, filled one grid at a time. */
  public static final class Accumulator {
    private final int channels;
    private final int cells;
    private final double[] sum;
    private final double[] sumOfSquares;
    private long count;

    public Accumulator(int channels, int cells) {
      this.channels = channels;
      this.cells = cells;
      this.sum = new double[channels];
      this.sumOfSquares = new double[channels];
    }

    /** Adds one {@code channels × cells} grid. */
    public void add(float[] grid) {
      for (int c = 0; c < channels; c++) {
        double s = 0;
        double q = 0;
        for (int i = c * cells; i < (c + 1) * cells; i++) {
          s += grid[i];
          q += (double) grid[i] * grid[i];
        }
        sum[c] += s;
        sumOfSquares[c] += q;
      }
      count += cells;
    }

    /** Returns the population mean and standard deviation of every channel. */
    public ChannelStats stats() {
      if (count == 0) {
        throw new IllegalStateException("no training grid was added, so there are no statistics");
      }
      float[] mean = new float[channels];
      float[] std = new float[channels];
      for (int c = 0; c < channels; c++) {
        double m = sum[c] / count;
        double variance = Math.max(0, sumOfSquares[c] / count - m * m);
        double s = Math.sqrt(variance);
        mean[c] = (float) m;
        std[c] = (float) (s < MIN_STD ? 1.0 : s);
      }
      return new ChannelStats(mean, std);
    }
  }

  public int channels() {
    return mean.length;
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  /** Normalises a {@code C × cells} grid in place: {@code (x - mean[c]) / std[c]}. */
  public void normalise(float[] grid, int cells) {
    if (grid.length != mean.length * cells) {
      throw new IllegalArgumentException(
          "grid has %d values, expected %d channels × %d cells"
              .formatted(grid.length, mean.length, cells));
    }
    for (int c = 0; c < mean.length; c++) {
      float m = mean[c];
      float inverse = 1f / std[c];
      for (int i = c * cells; i < (c + 1) * cells; i++) {
        grid[i] = (grid[i] - m) * inverse;
      }
    }
  }
}
