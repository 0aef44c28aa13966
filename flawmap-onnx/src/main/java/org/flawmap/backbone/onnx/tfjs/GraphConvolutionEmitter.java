package org.flawmap.backbone.onnx.tfjs;

import java.util.Arrays;
import java.util.List;

/**
 * Emits a TensorFlow convolution node (plain, fused, depthwise) as one ONNX Conv plus its fused
 * activation.
 *
 * <p>TensorFlow stores a Conv2D filter as HWIO {@code [kh, kw, in, out]} and a depthwise filter
 * as {@code [kh, kw, in, multiplier]} with output channel {@code c * multiplier + m}. ONNX wants
 * OIHW {@code [out, in / group, kh, kw]}, so depthwise filters become
 * {@code [in * multiplier, 1, kh, kw]} with {@code group = in}. Strides and dilations are read
 * from their NHWC lists, and SAME padding becomes explicit pads (see {@link TfPadding}).
 */
final class GraphConvolutionEmitter {

  private GraphConvolutionEmitter() {}

  static void emit(GraphModelConverter converter, GraphNode node) {
    boolean depthwise = node.op().contains("Depthwise");
    boolean fused = node.op().startsWith("Fused") || node.op().startsWith("_Fused");
    if (!node.string("data_format", "NHWC").equals("NHWC")) {
      throw node.invalid("data_format '" + node.string("data_format") + "', expected NHWC");
    }
    if (node.inputs().size() < 2) {
      throw node.invalid("expects an input and a filter, found " + node.inputs().size()
          + " inputs");
    }
    GraphModelConverter.Value input = converter.value(node.inputs().get(0));
    GraphModelTensor filter = converter.constant(node.inputs().get(1));
    if (filter == null || filter.shape().length != 4) {
      throw node.invalid("the filter must be a constant of rank 4, found "
          + (filter == null ? "a computed tensor" : filter.toString()));
    }
    int[] f = filter.shape();
    int kh = f[0];
    int kw = f[1];
    int inChannels = input.chw()[0];
    if (f[2] != inChannels) {
      throw node.invalid("filter " + filter + " expects " + f[2] + " input channels, but the"
          + " input has " + inChannels);
    }
    int outChannels = depthwise ? f[2] * f[3] : f[3];

    int[] strides = spatial(node, "strides");
    int[] dilations = spatial(node, "dilations");
    String padding = node.string("padding");
    TfPadding[] window = new TfPadding[2];
    for (int axis = 0; axis < 2; axis++) {
      int size = input.chw()[1 + axis];
      int kernel = axis == 0 ? kh : kw;
      if (padding.equals("EXPLICIT")) {
        int[] explicit = node.integers("explicit_paddings");
        if (explicit.length != 8) {
          throw node.invalid("EXPLICIT padding needs 8 explicit_paddings, found "
              + explicit.length);
        }
        window[axis] = TfPadding.explicit(size, kernel, strides[axis], dilations[axis],
            explicit[2 + 2 * axis], explicit[3 + 2 * axis]);
      } else {
        try {
          window[axis] = TfPadding.of(padding, size, kernel, strides[axis], dilations[axis]);
        } catch (IllegalArgumentException e) {
          throw node.invalid(e.getMessage());
        }
      }
    }

    String activation = fused ? fusedActivation(node) : "";
    String prefix = node.name() + "/";
    float[] weight = depthwise ? depthwiseToOihw(filter.values(), kh, kw, f[2], f[3])
        : hwioToOihw(filter.values(), kh, kw, f[2], f[3]);
    converter.graph().addFloatInitializer(prefix + "weight", weight, outChannels,
        depthwise ? 1 : inChannels, kh, kw);
    String[] inputs = {input.onnxName(), prefix + "weight"};
    if (fused) {
      GraphModelTensor bias = converter.constant(node.inputs().get(2));
      if (bias == null || !Arrays.equals(bias.shape(), new int[] {outChannels})) {
        throw node.invalid("the fused BiasAdd needs a constant bias of shape [" + outChannels
            + "], found " + (bias == null ? "a computed tensor" : bias.toString()));
      }
      converter.graph().addFloatInitializer(prefix + "bias", bias.values(), outChannels);
      inputs = new String[] {inputs[0], inputs[1], prefix + "bias"};
    }
    String convOut = activation.isEmpty() ? node.name() : prefix + "conv";
    converter.graph().addNode("Conv", inputs, convOut,
        "kernel_shape", new long[] {kh, kw},
        "strides", new long[] {strides[0], strides[1]},
        "dilations", new long[] {dilations[0], dilations[1]},
        // ONNX orders pads as {top, left, bottom, right}.
        "pads", new long[] {window[0].before(), window[1].before(), window[0].after(),
            window[1].after()},
        "group", (long) (depthwise ? inChannels : 1));
    if (activation.equals("Relu")) {
      converter.graph().addNode("Relu", new String[] {convOut}, node.name());
    } else if (activation.equals("Relu6")) {
      converter.emitRelu6(convOut, node.name());
    }
    converter.define(node, node.name(),
        new int[] {outChannels, window[0].output(), window[1].output()});
  }

  /** Checks {@code fused_ops} and returns the activation after the bias: "", Relu or Relu6. */
  private static String fusedActivation(GraphNode node) {
    List<String> ops = node.strings("fused_ops");
    int arguments = node.integer("num_args", 1);
    boolean supported = arguments == 1 && node.inputs().size() == 3 && !ops.isEmpty()
        && ops.get(0).equals("BiasAdd") && ops.size() <= 2
        && (ops.size() == 1 || ops.get(1).equals("Relu") || ops.get(1).equals("Relu6"));
    if (!supported) {
      throw node.invalid("fused_ops " + ops + " with num_args " + arguments + " is not"
          + " supported; expected [BiasAdd], [BiasAdd, Relu] or [BiasAdd, Relu6] with one bias");
    }
    return ops.size() == 2 ? ops.get(1) : "";
  }

  /** Reads an NHWC attribute list {@code [1, h, w, 1]} (default all ones) as {@code {h, w}}. */
  private static int[] spatial(GraphNode node, String attribute) {
    int[] values = node.integers(attribute);
    if (values.length == 0) {
      return new int[] {1, 1};
    }
    if (values.length != 4 || values[0] != 1 || values[3] != 1) {
      throw node.invalid(attribute + " " + Arrays.toString(values) + " is not of the NHWC form"
          + " [1, h, w, 1]");
    }
    return new int[] {values[1], values[2]};
  }

  /** TensorFlow {@code [kh, kw, in, out]} to ONNX {@code [out, in, kh, kw]}. */
  static float[] hwioToOihw(float[] hwio, int kh, int kw, int in, int out) {
    float[] oihw = new float[hwio.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            oihw[((o * in + i) * kh + y) * kw + x] = hwio[((y * kw + x) * in + i) * out + o];
          }
        }
      }
    }
    return oihw;
  }

  /** TensorFlow {@code [kh, kw, in, mult]} to ONNX {@code [in * mult, 1, kh, kw]}. */
  static float[] depthwiseToOihw(float[] filter, int kh, int kw, int in, int mult) {
    float[] oihw = new float[filter.length];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int c = 0; c < in; c++) {
          for (int m = 0; m < mult; m++) {
            oihw[((c * mult + m) * kh + y) * kw + x] = filter[((y * kw + x) * in + c) * mult + m];
          }
        }
      }
    }
    return oihw;
  }

  /** Row-major {@code [h, w, c]} to {@code [c, h, w]}. */
  static float[] hwcToChw(float[] hwc, int h, int w, int c) {
    float[] chw = new float[hwc.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int k = 0; k < c; k++) {
          chw[(k * h + y) * w + x] = hwc[(y * w + x) * c + k];
        }
      }
    }
    return chw;
  }
}
