package org.flawmap.backbone.onnx.tfjs;

/** Reads the four per-channel vectors of a Keras BatchNormalization layer. */
final class BatchNormParams {

  private BatchNormParams() {}

  /**
   * Returns {gamma, beta, moving mean, moving variance}, each of {@code channels} values. Gamma is
   * 1 when the layer was built with {@code scale: false} and beta 0 with {@code center: false},
   * because Keras then stores no such weight.
   */
  static float[][] read(TfjsLayersModel model, KerasLayer layer, int channels) {
    String prefix = layer.name() + "/";
    float[] gamma = layer.bool("scale", true) ? vector(model, layer, prefix + "gamma", channels)
        : filled(channels, 1f);
    float[] beta = layer.bool("center", true) ? vector(model, layer, prefix + "beta", channels)
        : filled(channels, 0f);
    float[] mean = vector(model, layer, prefix + "moving_mean", channels);
    float[] variance = vector(model, layer, prefix + "moving_variance", channels);
    return new float[][] {gamma, beta, mean, variance};
  }

  private static float[] vector(TfjsLayersModel model, KerasLayer layer, String name,
      int channels) {
    int[] shape = model.weightShape(name);
    if (shape.length != 1 || shape[0] != channels) {
      throw layer.invalid("weight '" + name + "' has " + java.util.Arrays.toString(shape)
          + " values, expected [" + channels + "] for the input's channels");
    }
    return model.weight(name);
  }

  private static float[] filled(int n, float value) {
    float[] values = new float[n];
    java.util.Arrays.fill(values, value);
    return values;
  }
}
