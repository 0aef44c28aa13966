package org.flawmap.backbone.onnx.tfjs;

/**
 * Emits the Keras layers after the convolutions: AveragePooling2D, GlobalAveragePooling2D,
 * Flatten and Dense, for {@link KerasOnnxConverter}.
 */
final class PoolingDenseEmitter {

  private PoolingDenseEmitter() {}

  static void averagePooling(KerasOnnxConverter converter, KerasLayer layer) {
    converter.requireImage(layer);
    layer.requireValue("data_format", "channels_last");
    int[] in = converter.shapeOf(layer, 0);
    int[] pool = layer.pair("pool_size");
    int[] strides = layer.has("strides") ? layer.pair("strides") : pool;
    int[] pads = new int[4];
    int[] out = WindowGeometry.outputSize(layer, in, pool, strides, new int[] {1, 1}, pads);
    // count_include_pad 0 divides by the pixels inside the image, as Keras 'same' does.
    converter.emit(layer, "AveragePool", new String[] {converter.input(layer, 0)},
        "kernel_shape", new long[] {pool[0], pool[1]},
        "strides", new long[] {strides[0], strides[1]},
        "pads", new long[] {pads[0], pads[2], pads[1], pads[3]},
        "count_include_pad", 0L);
    converter.setShape(layer, new int[] {out[0], out[1], in[2]});
  }

  static void globalAveragePooling(KerasOnnxConverter converter, KerasLayer layer) {
    converter.requireImage(layer);
    layer.requireValue("data_format", "channels_last");
    int channels = converter.shapeOf(layer, 0)[2];
    if (layer.bool("keepdims", false)) {
      converter.emit(layer, "GlobalAveragePool", new String[] {converter.input(layer, 0)});
      converter.setShape(layer, new int[] {1, 1, channels});
      return;
    }
    String pooled = layer.name() + "/pooled";
    converter.graph()
        .addNode("GlobalAveragePool", new String[] {converter.input(layer, 0)}, pooled);
    converter.emit(layer, "Flatten", new String[] {pooled}, "axis", 1L);
    converter.setShape(layer, new int[] {channels});
  }

  static void flatten(KerasOnnxConverter converter, KerasLayer layer) {
    int[] in = converter.shapeOf(layer, 0);
    if (in.length == 1) {
      converter.identity(layer);
      return;
    }
    String source = converter.input(layer, 0);
    if (in[0] * in[1] > 1) {
      String nhwc = layer.name() + "/nhwc";
      converter.graph()
          .addNode("Transpose", new String[] {source}, nhwc, "perm", new long[] {0, 2, 3, 1});
      source = nhwc;
    }
    converter.emit(layer, "Flatten", new String[] {source}, "axis", 1L);
    converter.setShape(layer, new int[] {in[0] * in[1] * in[2]});
  }

  static void dense(KerasOnnxConverter converter, KerasLayer layer) {
    int[] in = converter.shapeOf(layer, 0);
    if (in.length != 1) {
      throw layer.invalid("Dense on a rank-" + (in.length + 1) + " input is not supported;"
          + " add Flatten or GlobalAveragePooling2D before it");
    }
    int units = layer.integer("units");
    String kernel = layer.name() + "/kernel";
    converter.checkShape(layer, kernel, in[0], units);
    converter.graph().addFloatInitializer(kernel, converter.model().weight(kernel), in[0], units);
    String[] inputs = {converter.input(layer, 0), kernel};
    if (layer.bool("use_bias", true)) {
      String bias = layer.name() + "/bias";
      converter.checkShape(layer, bias, units);
      converter.graph().addFloatInitializer(bias, converter.model().weight(bias), units);
      inputs = new String[] {converter.input(layer, 0), kernel, bias};
    }
    String activation = layer.has("activation") ? layer.string("activation") : "linear";
    String target = converter.outputName(layer.name());
    String gemmOut = activation.equals("linear") ? target : layer.name() + "/linear";
    converter.graph().addNode("Gemm", inputs, gemmOut);
    converter.emitActivation(layer, activation, gemmOut, target);
    converter.setOutput(layer, target, new int[] {units});
  }
}
