package org.flawmap.backbone.onnx.tfjs;

/**
 * Emits a Keras Conv2D or DepthwiseConv2D as one ONNX Conv, with a preceding ZeroPadding2D and a
 * following BatchNormalization folded in where {@link KerasOnnxConverter} allows it.
 */
final class ConvolutionEmitter {

  private ConvolutionEmitter() {}

  static void emit(KerasOnnxConverter converter, KerasLayer layer) {
    TfjsLayersModel model = converter.model();
    boolean depthwise = layer.className().equals("DepthwiseConv2D");
    layer.requireValue("data_format", "channels_last");
    int[] padded = converter.shapeOf(layer, 0);
    if (padded.length != 3) {
      throw layer.invalid("expects an image input [height, width, channels]");
    }

    int[] pads = converter.takeDeferredPads(layer);
    int[] in = {padded[0] - pads[0] - pads[1], padded[1] - pads[2] - pads[3], padded[2]};
    int[] kernel = layer.pair("kernel_size");
    int[] strides = layer.pair("strides");
    int[] dilation = layer.has("dilation_rate") ? layer.pair("dilation_rate") : new int[] {1, 1};
    int[] outSize = WindowGeometry.outputSize(layer, in, kernel, strides, dilation, pads);
    int inChannels = in[2];
    int multiplier = depthwise ? layer.integer("depth_multiplier") : 0;
    int outChannels = depthwise ? inChannels * multiplier : layer.integer("filters");

    String kernelName = layer.name() + (depthwise ? "/depthwise_kernel" : "/kernel");
    float[] keras = model.weight(kernelName);
    double[] weight;
    if (depthwise) {
      converter.checkShape(layer, kernelName, kernel[0], kernel[1], inChannels, multiplier);
      weight = depthwiseToOnnx(keras, kernel[0], kernel[1], inChannels, multiplier);
    } else {
      converter.checkShape(layer, kernelName, kernel[0], kernel[1], inChannels, outChannels);
      weight = convToOnnx(keras, kernel[0], kernel[1], inChannels, outChannels);
    }
    double[] bias = new double[outChannels];
    boolean hasBias = layer.bool("use_bias", true);
    if (hasBias) {
      String biasName = layer.name() + "/bias";
      converter.checkShape(layer, biasName, outChannels);
      float[] values = model.weight(biasName);
      for (int o = 0; o < outChannels; o++) {
        bias[o] = values[o];
      }
    }

    String activation = layer.has("activation") ? layer.string("activation") : "linear";
    KerasLayer next = converter.soleConsumer(layer);
    boolean foldBatchNorm = activation.equals("linear") && next != null
        && next.className().equals("BatchNormalization")
        && (!next.has("axis") || next.integer("axis") == -1 || next.integer("axis") == 3);
    KerasLayer producer = layer;
    if (foldBatchNorm) {
      foldBatchNorm(model, next, weight, bias, outChannels);
      hasBias = true;
      producer = next;
    }

    String prefix = layer.name() + "/";
    int perOutput = weight.length / outChannels;
    converter.graph().addFloatInitializer(prefix + "weight", toFloat(weight), outChannels,
        perOutput / (kernel[0] * kernel[1]), kernel[0], kernel[1]);
    String[] inputs = {converter.input(layer, 0), prefix + "weight"};
    if (hasBias) {
      converter.graph().addFloatInitializer(prefix + "bias", toFloat(bias), outChannels);
      inputs = new String[] {inputs[0], inputs[1], prefix + "bias"};
    }
    String target = converter.outputName(producer.name());
    String convOut = activation.equals("linear") ? target : prefix + "conv";
    converter.graph().addNode("Conv", inputs, convOut,
        "kernel_shape", new long[] {kernel[0], kernel[1]},
        "strides", new long[] {strides[0], strides[1]},
        "dilations", new long[] {dilation[0], dilation[1]},
        // ONNX orders pads as {top, left, bottom, right}.
        "pads", new long[] {pads[0], pads[2], pads[1], pads[3]},
        "group", (long) (depthwise ? inChannels : 1));
    converter.emitActivation(layer, activation, convOut, target);

    int[] outShape = {outSize[0], outSize[1], outChannels};
    converter.setOutput(layer, target, outShape);
    if (foldBatchNorm) {
      converter.markFolded(next, target, outShape);
    }
  }

  /** Keras {@code [kh, kw, in, out]} to ONNX {@code [out, in, kh, kw]}. */
  private static double[] convToOnnx(float[] keras, int kh, int kw, int in, int out) {
    double[] onnx = new double[keras.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            onnx[((o * in + i) * kh + y) * kw + x] = keras[((y * kw + x) * in + i) * out + o];
          }
        }
      }
    }
    return onnx;
  }

  /** Keras {@code [kh, kw, in, mult]} to ONNX {@code [in * mult, 1, kh, kw]}, channel c*mult+m. */
  private static double[] depthwiseToOnnx(float[] keras, int kh, int kw, int in, int mult) {
    double[] onnx = new double[keras.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int c = 0; c < in; c++) {
          for (int m = 0; m < mult; m++) {
            int o = c * mult + m;
            onnx[(o * kh + y) * kw + x] = keras[((y * kw + x) * in + c) * mult + m];
          }
        }
      }
    }
    return onnx;
  }

  /** Scales each output channel's weights and shifts its bias as the BatchNormalization would. */
  private static void foldBatchNorm(TfjsLayersModel model, KerasLayer batchNorm, double[] weight,
      double[] bias, int channels) {
    float[][] params = BatchNormParams.read(model, batchNorm, channels);
    double epsilon = batchNorm.number("epsilon");
    int perOutput = weight.length / channels;
    for (int o = 0; o < channels; o++) {
      double factor = params[0][o] / Math.sqrt(params[3][o] + epsilon);
      for (int k = 0; k < perOutput; k++) {
        weight[o * perOutput + k] *= factor;
      }
      bias[o] = (bias[o] - params[2][o]) * factor + params[1][o];
    }
  }

  private static float[] toFloat(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }
}
