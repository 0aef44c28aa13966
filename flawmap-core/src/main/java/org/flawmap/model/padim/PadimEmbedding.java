package org.flawmap.model.padim;

import java.util.List;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Builds PaDiM patch embeddings: the stages are brought to the finest stage's grid by
 * nearest-neighbour upsampling, concatenated along channels, and reduced to the selected
 * channels. Output layout is position-major: {@code embedding[p * d + k]} for position
 * {@code p = y * width + x} of the finest grid and selected channel {@code k}.
 */
final class PadimEmbedding {

  private final int width;
  private final int height;
  private final int[] stageOfChannel;
  private final int[] channelInStage;
  /** Per stage, the source offset {@code sy * stageWidth + sx} of each finest-grid position. */
  private final int[][] sourceOffset;

  PadimEmbedding(List<StageInfo> stages, int inputWidth, int inputHeight, int[] channels) {
    int finest = stages.get(0).stride();
    this.width = inputWidth / finest;
    this.height = inputHeight / finest;
    int total = stages.stream().mapToInt(StageInfo::channels).sum();

    this.stageOfChannel = new int[channels.length];
    this.channelInStage = new int[channels.length];
    for (int k = 0; k < channels.length; k++) {
      int c = channels[k];
      if (c < 0 || c >= total) {
        throw new IllegalArgumentException(
            "channel index %d is outside the %d backbone channels".formatted(c, total));
      }
      int s = 0;
      while (c >= stages.get(s).channels()) {
        c -= stages.get(s).channels();
        s++;
      }
      stageOfChannel[k] = s;
      channelInStage[k] = c;
    }

    this.sourceOffset = new int[stages.size()][width * height];
    for (int s = 0; s < stages.size(); s++) {
      int stageWidth = inputWidth / stages.get(s).stride();
      int stageHeight = inputHeight / stages.get(s).stride();
      for (int y = 0; y < height; y++) {
        // Nearest neighbour, as torch.nn.functional.interpolate(mode="nearest") picks it.
        int sy = Math.min(y * stageHeight / height, stageHeight - 1);
        for (int x = 0; x < width; x++) {
          int sx = Math.min(x * stageWidth / width, stageWidth - 1);
          sourceOffset[s][y * width + x] = sy * stageWidth + sx;
        }
      }
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int dimension() {
    return stageOfChannel.length;
  }

  /** Returns {@code width * height * dimension} values, position-major. */
  float[] embed(FeatureMap[] features) {
    int d = stageOfChannel.length;
    int positions = width * height;
    float[] out = new float[positions * d];
    for (int k = 0; k < d; k++) {
      FeatureMap stage = features[stageOfChannel[k]];
      float[] data = stage.data();
      int channelOffset = channelInStage[k] * stage.height() * stage.width();
      int[] offsets = sourceOffset[stageOfChannel[k]];
      for (int p = 0; p < positions; p++) {
        out[p * d + k] = data[channelOffset + offsets[p]];
      }
    }
    return out;
  }
}
