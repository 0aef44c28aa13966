package org.flawmap.backbone;

/**
 * One stage's feature map for one image, in CHW order: {@code data[(c * height + y) * width + x]}.
 *
 * @param channels number of channels C
 * @param height rows H, equal to the input height divided by {@code stride}
 * @param width columns W, equal to the input width divided by {@code stride}
 * @param stride input pixels per feature cell
 * @param data C × H × W values
 */
public record FeatureMap(int channels, int height, int width, int stride, float[] data) {

  public FeatureMap {
    if (channels <= 0 || height <= 0 || width <= 0 || stride <= 0) {
      throw new IllegalArgumentException(
          "feature map dimensions must be positive, found C=%d H=%d W=%d stride=%d"
              .formatted(channels, height, width, stride));
    }
    if (data.length != channels * height * width) {
      throw new IllegalArgumentException(
          "feature map data has %d values, expected C*H*W = %d"
              .formatted(data.length, channels * height * width));
    }
  }

  public float get(int c, int y, int x) {
    return data[(c * height + y) * width + x];
  }
}
