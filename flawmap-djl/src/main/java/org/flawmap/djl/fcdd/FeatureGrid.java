package org.flawmap.djl.fcdd;

import java.util.List;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Brings every backbone stage to one grid of {@code gridStride} input pixels per cell and
 * concatenates them along channels, so that one fully convolutional head sees all stages.
 * A finer stage is average-pooled over the cells that fall into one grid cell, and a coarser
 * stage is upsampled bilinearly with {@link MapResize}. With the default MobileNetV2 and stride
 * 8 the result is 152 channels on a 28 × 28 grid (about 119k floats per image).
 *
 * <p>Layout is CHW: {@code grid[(c * height + y) * width + x]}.
 */
final class FeatureGrid {

  private final List<StageInfo> stages;
  private final int stride;
  private final int width;
  private final int height;
  private final int channels;

  FeatureGrid(BackboneInfo backbone, int gridStride) {
    this.stages = backbone.stages();
    this.stride = gridStride;
    if (backbone.inputWidth() % gridStride != 0 || backbone.inputHeight() % gridStride != 0) {
      throw new IllegalArgumentException(
          "model option grid_stride %d does not divide the backbone input of %d × %d pixels;"
                  .formatted(gridStride, backbone.inputWidth(), backbone.inputHeight())
              + " choose a divisor such as 8");
    }
    for (StageInfo stage : stages) {
      if (stage.stride() < gridStride && gridStride % stage.stride() != 0) {
        throw new IllegalArgumentException(
            "model option grid_stride %d is not a multiple of stage %s's stride %d; choose a"
                    .formatted(gridStride, stage.name(), stage.stride())
                + " multiple of every finer stage's stride");
      }
    }
    this.width = backbone.inputWidth() / gridStride;
    this.height = backbone.inputHeight() / gridStride;
    this.channels = stages.stream().mapToInt(StageInfo::channels).sum();
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int channels() {
    return channels;
  }

  /** Returns {@code channels × height × width} values, the stages in backbone order. */
  float[] resample(FeatureMap[] features) {
    if (features.length != stages.size()) {
      throw new IllegalArgumentException(
          "FCDD expects %d feature stages, found %d".formatted(stages.size(), features.length));
    }
    int cells = width * height;
    float[] out = new float[channels * cells];
    int offset = 0;
    for (FeatureMap stage : features) {
      int stageCells = stage.width() * stage.height();
      for (int c = 0; c < stage.channels(); c++) {
        float[] plane = new float[stageCells];
        System.arraycopy(stage.data(), c * stageCells, plane, 0, stageCells);
        float[] resampled = toGrid(plane, stage.width(), stage.height(), stage.stride());
        System.arraycopy(resampled, 0, out, (offset + c) * cells, cells);
      }
      offset += stage.channels();
    }
    return out;
  }

  private float[] toGrid(float[] plane, int planeWidth, int planeHeight, int planeStride) {
    if (planeStride >= stride) {
      return MapResize.bilinear(plane, planeWidth, planeHeight, width, height);
    }
    int factor = stride / planeStride;
    float[] out = new float[width * height];
    float scale = 1f / (factor * factor);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float sum = 0;
        for (int dy = 0; dy < factor; dy++) {
          int row = Math.min(y * factor + dy, planeHeight - 1) * planeWidth;
          for (int dx = 0; dx < factor; dx++) {
            sum += plane[row + Math.min(x * factor + dx, planeWidth - 1)];
          }
        }
        out[y * width + x] = sum * scale;
      }
    }
    return out;
  }

  /**
   * Subtracts {@code mean[c]} and divides by {@code std[c]} in place, so that every channel
   * reaches the head on a comparable scale.
   */
  void normalise(float[] grid, float[] mean, float[] std) {
    int cells = width * height;
    for (int c = 0; c < channels; c++) {
      float m = mean[c];
      float inverse = 1f / std[c];
      for (int i = c * cells; i < (c + 1) * cells; i++) {
        grid[i] = (grid[i] - m) * inverse;
      }
    }
  }

  /**
   * Computes the per-channel mean and standard deviation over all cells of {@code grids}, in
   * double precision. A channel with a standard deviation below 1e-6 gets 1, so that a constant
   * channel stays finite.
   *
   * @return {mean, std}, each of {@code channels} values
   */
  float[][] channelStatistics(List<float[]> grids) {
    int cells = width * height;
    double[] sum = new double[channels];
    double[] squares = new double[channels];
    for (float[] grid : grids) {
      for (int c = 0; c < channels; c++) {
        for (int i = c * cells; i < (c + 1) * cells; i++) {
          sum[c] += grid[i];
          squares[c] += (double) grid[i] * grid[i];
        }
      }
    }
    double n = (double) grids.size() * cells;
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / n;
      double variance = Math.max(0, squares[c] / n - m * m);
      mean[c] = (float) m;
      std[c] = variance < 1e-12 ? 1f : (float) Math.sqrt(variance);
    }
    return new float[][] {mean, std};
  }
}
