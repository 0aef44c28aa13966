package org.flawmap.djl.reconstruction;

import java.util.List;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Brings every backbone stage to one grid and concatenates the stages along channels, as DFR
 * (Shi et al., Neurocomputing 2021) does before its autoencoder. Each channel is resized
 * bilinearly with {@link MapResize} (half-pixel centres, like PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}): finer stages are reduced, which
 * at a factor of 2 averages each 2 × 2 block, and coarser stages are enlarged.
 *
 * <p>Output: {@code C × H × W} floats in CHW order, with {@code C} the sum of the stage channels
 * (152 for the default MobileNetV2) and {@code H × W} the input size divided by the grid stride.
 */
final class FeatureGrid {

  private final List<StageInfo> stages;
  private final int width;
  private final int height;
  private final int channels;

  FeatureGrid(BackboneInfo backbone, int gridStride) {
    this.stages = backbone.stages();
    boolean known = stages.stream().anyMatch(s -> s.stride() == gridStride);
    if (!known) {
      throw new IllegalArgumentException(
          "model option grid_stride must be one of the backbone's stage strides %s, found %d"
              .formatted(stages.stream().map(StageInfo::stride).toList(), gridStride));
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

  /** Returns the concatenated {@code C × H × W} grid of one image's stage maps. */
  float[] resample(FeatureMap[] features) {
    if (features.length != stages.size()) {
      throw new IllegalArgumentException(
          "expected %d stage feature maps, found %d".formatted(stages.size(), features.length));
    }
    int cells = width * height;
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
      float[] channel = new float[stageCells];
      for (int c = 0; c < stage.channels(); c++) {
        System.arraycopy(stage.data(), c * stageCells, channel, 0, stageCells);
        float[] resized =
            MapResize.bilinear(channel, stage.width(), stage.height(), width, height);
        System.arraycopy(resized, 0, out, offset, cells);
        offset += cells;
      }
    }
    return out;
  }
}
