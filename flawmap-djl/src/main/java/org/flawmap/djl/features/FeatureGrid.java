package org.flawmap.djl.features;

import java.util.List;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Brings every backbone stage to one grid of {@code gridStride} input pixels per cell and
 * concatenates the stages along channels, so that one convolutional network receives all stages.
 * A coarser stage is always upsampled bilinearly with {@link MapResize}. How a finer stage is
 * reduced, and which strides are accepted, is the {@link Downsampling} of the grid.
 *
 * <p>Output: {@code C × H × W} floats in CHW order, {@code grid[(c * H + y) * W + x]}, with
 * {@code C} the sum of the stage channels (152 for the default MobileNetV2) and {@code H × W}
 * the input size divided by the grid stride (28 × 28 at 224 pixels and stride 8).
 */
public final class FeatureGrid {

  /** The reduction of stages finer than the grid to its cell size. */
  public enum Downsampling {
    /**
     * Average pooling over the {@code factor × factor} cells that fall into one grid cell, as
     * FCDD uses. The grid stride must divide the input size and be a multiple of every finer
     * stage's stride.
     */
    AVERAGE_POOL,
    /**
     * Bilinear resizing with half-pixel centres, like PyTorch's
     * {@code interpolate(mode="bilinear", align_corners=False)}, as DFR uses. At a factor of 2
     * it averages each 2 × 2 block. The grid stride must be one of the stage strides.
     */
    BILINEAR
  }

  private final List<StageInfo> stages;
  private final int stride;
  private final Downsampling downsampling;
  private final int width;
  private final int height;
  private final int channels;

  /**
   * @throws IllegalArgumentException naming the model option {@code grid_stride} when the
   *     stride does not fit the backbone under {@code downsampling}
   */
  public FeatureGrid(BackboneInfo backbone, int gridStride, Downsampling downsampling) {
    this.stages = backbone.stages();
    this.stride = gridStride;
    this.downsampling = downsampling;
    if (downsampling == Downsampling.AVERAGE_POOL) {
      requirePoolableStride(backbone, gridStride);
    } else {
      requireStageStride(gridStride);
    }
    this.width = backbone.inputWidth() / gridStride;
    this.height = backbone.inputHeight() / gridStride;
    this.channels = stages.stream().mapToInt(StageInfo::channels).sum();
  }

  private void requirePoolableStride(BackboneInfo backbone, int gridStride) {
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
  }

  private void requireStageStride(int gridStride) {
    boolean known = stages.stream().anyMatch(s -> s.stride() == gridStride);
    if (!known) {
      throw new IllegalArgumentException(
          "model option grid_stride must be one of the backbone's stage strides %s, found %d"
              .formatted(stages.stream().map(StageInfo::stride).toList(), gridStride));
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return channels;
  }

  /** Returns {@code width × height}, the number of values per channel. */
  public int cells() {
    return width * height;
  }

  /**
   * Returns the concatenated {@code C × H × W} grid of one image's stage maps, the stages in
   * backbone order.
   *
   * @throws IllegalArgumentException when the stage count or a stage's channel count differs
   *     from the backbone's
   */
  public float[] resample(FeatureMap[] features) {
    if (features.length != stages.size()) {
      throw new IllegalArgumentException(
          "expected %d stage feature maps, found %d".formatted(stages.size(), features.length));
    }
    int cells = cells();
    float[] out = new float[channels * cells];
    int offset = 0;
    for (int s = 0; s < features.length; s++) {
      FeatureMap stage = features[s];
      if (stage.channels() != stages.get(s).channels()) {
        throw new IllegalArgumentException(
            "stage %s has %d channels, the backbone declares %d"
                .formatted(stages.get(s).name(), stage.channels(), stages.get(s).channels()));
      }

      int stageCells = stage.width() * stage.height();
      float[] plane = new float[stageCells];
      for (int c = 0; c < stage.channels(); c++) {
        System.arraycopy(stage.data(), c * stageCells, plane, 0, stageCells);
        float[] resampled = toGrid(plane, stage.width(), stage.height(), stage.stride());
        System.arraycopy(resampled, 0, out, offset, cells);
        offset += cells;
      }
    }
    return out;
  }

  private float[] toGrid(float[] plane, int planeWidth, int planeHeight, int planeStride) {
    if (downsampling == Downsampling.BILINEAR || planeStride >= stride) {
      return MapResize.bilinear(plane, planeWidth, planeHeight, width, height);
    }
    return averagePool(plane, planeWidth, planeHeight, stride / planeStride);
  }

  /** Averages {@code factor × factor} blocks, repeating the last row and column at the edge. */
  private float[] averagePool(float[] plane, int planeWidth, int planeHeight, int factor) {
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
}
