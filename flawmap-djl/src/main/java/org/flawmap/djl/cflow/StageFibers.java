package org.flawmap.djl.cflow;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.features.ChannelStats;

/**
 * The feature maps of one backbone stage for a set of images, and the gathering of feature
 * vectors ("fibers", one per cell and image) with their positional conditions. Maps are kept
 * in their CHW layout, C × H × W floats per image.
 */
final class StageFibers {

  private final int stage;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] encoding;
  private final List<float[]> images = new ArrayList<>();

  /** @param encoding the {@link PositionalEncoding} table of this grid, (H · W) × P */
  StageFibers(int stage, int channels, int height, int width, float[] encoding) {
    this.stage = stage;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.encoding = encoding;
  }

  /** Stores a copy of one image's map of this stage, after checking its shape. */
  void add(FeatureMap map) {
    requireShape(map, stage, channels, height, width);
    images.add(map.data().clone());
  }

  int images() {
    return images.size();
  }

  /** Returns the stored C × H × W map of image {@code j}; do not modify it. */
  float[] image(int j) {
    return images.get(j);
  }

  int cells() {
    return height * width;
  }

  int channels() {
    return channels;
  }

  /** Computes the per-channel mean and standard deviation over every cell of the stored maps. */
  ChannelStats channelStats() {
    ChannelStats.Accumulator accumulator = new ChannelStats.Accumulator(channels, cells());
    images.forEach(accumulator::add);
    return accumulator.stats();
  }

  /** Normalises every stored map in place with {@code stats}, see {@link ChannelStats}. */
  void normalise(ChannelStats stats) {
    for (float[] map : images) {
      stats.normalise(map, cells());
    }
  }

  /** Returns the smallest and the largest stored value, {min, max}, for the log. */
  float[] range() {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float[] map : images) {
      for (float v : map) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return new float[] {min, max};
  }

  /** Returns the fibers at ({@code image[k]}, {@code cell[k]}), row-major n × C. */
  float[] fibers(int[] image, int[] cell) {
    int plane = cells();
    float[] out = new float[image.length * channels];
    for (int k = 0; k < image.length; k++) {
      float[] data = images.get(image[k]);
      for (int c = 0; c < channels; c++) {
        out[k * channels + c] = data[c * plane + cell[k]];
      }
    }
    return out;
  }

  /** Returns the conditions of {@code cell[k]}, row-major n × P. */
  float[] conditions(int[] cell) {
    int dim = encoding.length / cells();
    float[] out = new float[cell.length * dim];
    for (int k = 0; k < cell.length; k++) {
      System.arraycopy(encoding, cell[k] * dim, out, k * dim, dim);
    }
    return out;
  }

  /** Transposes a C × H × W map to (H · W) × C, one fiber per row. */
  static float[] cellMajor(float[] chw, int channels, int cells) {
    float[] out = new float[chw.length];
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < cells; p++) {
        out[p * channels + c] = chw[c * cells + p];
      }
    }
    return out;
  }

  /** Checks that {@code map} has the stage's shape, naming the stage when it does not. */
  static void requireShape(FeatureMap map, int stage, int channels, int height, int width) {
    if (map.channels() != channels || map.height() != height || map.width() != width) {
      throw new IllegalArgumentException(
          "CFLOW stage %d expects features of %d × %d × %d (C × H × W), found %d × %d × %d;"
              .formatted(stage, channels, height, width, map.channels(), map.height(),
                  map.width())
              + " the features do not come from the backbone the model was built for");
    }
  }
}
