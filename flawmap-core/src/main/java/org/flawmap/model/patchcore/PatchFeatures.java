package org.flawmap.model.patchcore;

import java.util.List;
import java.util.stream.Collectors;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Builds PatchCore's locally aware patch features from the selected backbone stages:
 *
 * <ol>
 *   <li>each stage is averaged over the 3 × 3 neighbourhood of every cell (stride 1, zero
 *       padding, always divided by 9, as {@code torch.nn.AvgPool2d(3, 1, 1)} does), so that a
 *       patch feature includes its neighbours without losing resolution;
 *   <li>coarser stages are upsampled bilinearly to the finest selected stage's grid, with the
 *       pixel-centre alignment of {@link MapResize};
 *   <li>the stages are concatenated along channels;
 *   <li>when fewer channels are requested, adjacent channels are averaged by adaptive average
 *       pooling: output {@code k} of {@code d} is the mean of inputs
 *       {@code floor(k C / d) .. ceil((k + 1) C / d) - 1} of {@code C}.
 * </ol>
 *
 * <p>Output layout is position-major, {@code patches[p * d + k]} for grid position
 * {@code p = y * width + x}: each patch is contiguous, as the nearest-neighbour search reads it.
 */
final class PatchFeatures {

  private final int[] stages;
  private final int[] stageOffset;
  private final int width;
  private final int height;
  private final int concatenated;
  private final int dimension;
  private final int[] binStart;
  private final int[] binEnd;

  PatchFeatures(BackboneInfo backbone, List<Integer> stageIndices, int featureDimension) {
    List<StageInfo> all = backbone.stages();
    for (int s : stageIndices) {
      if (s < 0 || s >= all.size()) {
        throw new IllegalArgumentException(
            ("--patchcore-stages %s: backbone %s has %d stages, indices 0 to %d (%s); pass"
                    + " indices in that range")
                .formatted(
                    stageIndices, backbone.id(), all.size(), all.size() - 1,
                    all.stream().map(StageInfo::name).collect(Collectors.joining(", "))));
      }
    }
    this.stages = stageIndices.stream().mapToInt(Integer::intValue).toArray();
    int finestStride = Integer.MAX_VALUE;
    this.stageOffset = new int[stages.length];
    int channels = 0;
    for (int i = 0; i < stages.length; i++) {
      StageInfo stage = all.get(stages[i]);
      finestStride = Math.min(finestStride, stage.stride());
      stageOffset[i] = channels;
      channels += stage.channels();
    }
    this.width = backbone.inputWidth() / finestStride;
    this.height = backbone.inputHeight() / finestStride;
    this.concatenated = channels;
    this.dimension = Math.min(featureDimension, channels);

    this.binStart = new int[dimension];
    this.binEnd = new int[dimension];
    for (int k = 0; k < dimension; k++) {
      binStart[k] = (int) ((long) k * channels / dimension);
      binEnd[k] = (int) (((long) (k + 1) * channels + dimension - 1) / dimension);
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int positions() {
    return width * height;
  }

  /** Returns the number of channels per patch, after pooling. */
  int dimension() {
    return dimension;
  }

  /** Returns the channels of the selected stages together, before pooling. */
  int concatenatedChannels() {
    return concatenated;
  }

  /** Returns {@code positions() × dimension()} values, position-major. */
  float[] extract(FeatureMap[] features) {
    if (features.length <= stages[stages.length - 1]) {
      throw new IllegalArgumentException(
          "PatchCore needs backbone stage %d but the backbone returned %d stages"
              .formatted(stages[stages.length - 1], features.length));
    }
    int positions = width * height;
    float[] joined = new float[positions * concatenated];
    for (int i = 0; i < stages.length; i++) {
      FeatureMap stage = features[stages[i]];
      int plane = stage.width() * stage.height();
      for (int c = 0; c < stage.channels(); c++) {
        float[] averaged = average3x3(stage.data(), c * plane, stage.width(), stage.height());
        float[] onGrid =
            MapResize.bilinear(averaged, stage.width(), stage.height(), width, height);
        int channel = stageOffset[i] + c;
        for (int p = 0; p < positions; p++) {
          joined[p * concatenated + channel] = onGrid[p];
        }
      }
    }
    if (dimension == concatenated) {
      return joined;
    }

    float[] pooled = new float[positions * dimension];
    for (int p = 0; p < positions; p++) {
      int base = p * concatenated;
      for (int k = 0; k < dimension; k++) {
        float sum = 0;
        for (int c = binStart[k]; c < binEnd[k]; c++) {
          sum += joined[base + c];
        }
        pooled[p * dimension + k] = sum / (binEnd[k] - binStart[k]);
      }
    }
    return pooled;
  }

  /**
   * Returns the 3 × 3 mean of every cell of one {@code width × height} plane that starts at
   * {@code offset}, with cells outside the plane counting as zero.
   */
  static float[] average3x3(float[] data, int offset, int width, int height) {
    float[] rowSums = new float[width * height];
    for (int y = 0; y < height; y++) {
      int source = offset + y * width;
      int target = y * width;
      for (int x = 0; x < width; x++) {
        float sum = data[source + x];
        if (x > 0) {
          sum += data[source + x - 1];
        }
        if (x + 1 < width) {
          sum += data[source + x + 1];
        }
        rowSums[target + x] = sum;
      }
    }

    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        float sum = rowSums[p];
        if (y > 0) {
          sum += rowSums[p - width];
        }
        if (y + 1 < height) {
          sum += rowSums[p + width];
        }
        out[p] = sum / 9f;
      }
    }
    return out;
  }
}
