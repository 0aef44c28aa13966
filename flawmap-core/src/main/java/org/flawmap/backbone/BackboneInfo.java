package org.flawmap.backbone;

import java.util.List;

/**
 * Identity and input contract of a frozen backbone.
 *
 * <p>The input is an RGB image resized to {@code inputWidth × inputHeight}, with each channel
 * scaled to [0, 1] and then normalised as {@code (x - mean[c]) / std[c]}.
 *
 * @param id short identifier, for example {@code mobilenet_v2_nsfwjs}
 * @param sha256 hex SHA-256 of the ONNX file, stored in model files to detect a swapped backbone
 * @param inputWidth input width in pixels
 * @param inputHeight input height in pixels
 * @param mean per-channel mean (R, G, B) on the [0, 1] scale
 * @param std per-channel standard deviation (R, G, B) on the [0, 1] scale
 * @param stages feature outputs, finest first
 */
public record BackboneInfo(
    String id,
    String sha256,
    int inputWidth,
    int inputHeight,
    float[] mean,
    float[] std,
    List<StageInfo> stages) {

  public BackboneInfo {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
    }
    stages = List.copyOf(stages);
  }
}
