package org.flawmap.backbone.onnx.tfjs;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a Keras functional model (channels last) into an ONNX graph in NCHW layout.
 *
 * <p>Supported layers: InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D, BatchNormalization,
 * ReLU, Activation, Add, AveragePooling2D, GlobalAveragePooling2D, Flatten, Dense and Dropout
 * (an identity at inference). Any other class, or a setting outside the implemented ones, raises
 * an {@link IllegalArgumentException} that names the layer.
 *
 * <p>The graph has one input {@code [batch, C, H, W]} and the requested layer outputs, each as
 * {@code [batch, C, H, W]} or {@code [batch, units]}. Shapes are static apart from the batch, so
 * the input layer must give its height and width. Three rewrites keep the result exact up to
 * float rounding:
 *
 * <ul>
 *   <li>Kernels go from Keras {@code [kh, kw, in, out]} to ONNX {@code [out, in, kh, kw]}, and
 *       depthwise kernels {@code [kh, kw, in, mult]} to a grouped Conv weight
 *       {@code [in * mult, 1, kh, kw]} with group = in.
 *   <li>A BatchNormalization that is the only consumer of a linear convolution is folded into
 *       it: {@code w' = w * gamma / sqrt(var + eps)}, {@code b' = (b - mean) * gamma /
 *       sqrt(var + eps) + beta}, computed in double.
 *   <li>A ZeroPadding2D that only feeds a convolution becomes that convolution's pads. Keras
 *       'same' padding puts the odd pixel at the bottom and right, which explicit pads
 *       reproduce exactly (ONNX SAME_UPPER would too, but only for unpadded inputs).
 * </ul>
 *
 * <p>Flatten of a map larger than 1 × 1 transposes to NHWC first, so a following Dense reads the
 * features in the Keras order.
 */
public final class KerasOnnxConverter {

  private final TfjsLayersModel model;
  private final Map<String, String> outputNames;
  private final OnnxGraphBuilder graph;
  private final Map<String, KerasLayer> layersByName = new HashMap<>();
  private final Map<String, List<KerasLayer>> consumers = new HashMap<>();
  private final Map<String, String> tensorOf = new HashMap<>();
  private final Map<String, int[]> shapeOf = new HashMap<>();
  private final Map<String, int[]> deferredPads = new HashMap<>();
  private final Set<String> foldedLayers = new HashSet<>();

  /**
   * The converted model.
   *
   * @param model the ONNX model
   * @param outputShapes per graph output, in request order, its shape without the batch:
   *     {@code [C, H, W]} or {@code [units]}
   * @param inputShape the input's shape without the batch, {@code [C, H, W]}
   */
  public record Result(ModelProto model, Map<String, int[]> outputShapes, int[] inputShape) {}

  private KerasOnnxConverter(TfjsLayersModel model, Map<String, String> outputNames,
      String graphName) {
    this.model = model;
    this.outputNames = outputNames;
    this.graph = new OnnxGraphBuilder(graphName);
  }

  /**
   * Converts the model.
   *
   * @param inputName name of the ONNX graph input
   * @param outputs Keras layer name to ONNX output name, in the order the outputs should have
   * @param graphName name stored in the ONNX graph
   * @param docString description stored in the ONNX model
   * @throws IllegalArgumentException if a layer or setting is not supported, or an output
   *     names no layer
   */
  public static Result convert(TfjsLayersModel model, String inputName,
      Map<String, String> outputs, String graphName, String docString) {
    KerasOnnxConverter converter =
        new KerasOnnxConverter(model, new LinkedHashMap<>(outputs), graphName);
    return converter.run(inputName, docString);
  }

  private Result run(String inputName, String docString) {
    for (KerasLayer layer : model.layers()) {
      layersByName.put(layer.name(), layer);
      for (String source : layer.inbound()) {
        consumers.computeIfAbsent(source, k -> new ArrayList<>()).add(layer);
      }
    }
    for (String requested : outputNames.keySet()) {
      if (!layersByName.containsKey(requested)) {
        throw new IllegalArgumentException(model.modelFile() + ": requested output layer '"
            + requested + "' is not in the model");
      }
    }

    int[] inputShape = null;
    for (KerasLayer layer : model.layers()) {
      for (String source : layer.inbound()) {
        if (!tensorOf.containsKey(source) && !deferredPads.containsKey(source)) {
          throw layer.invalid("input '" + source + "' is defined after this layer or missing");
        }
      }
      if (layer.className().equals("InputLayer")) {
        inputShape = addInput(layer, inputName);
      } else if (!foldedLayers.contains(layer.name())) {
        convertLayer(layer);
      }
    }
    if (inputShape == null) {
      throw new IllegalArgumentException(model.modelFile() + ": the model has no InputLayer");
    }

    Map<String, int[]> outputShapes = new LinkedHashMap<>();
    for (Map.Entry<String, String> output : outputNames.entrySet()) {
      int[] nchw = toNchw(shapeOf.get(output.getKey()));
      long[] dims = new long[nchw.length + 1];
      dims[0] = -1;
      for (int i = 0; i < nchw.length; i++) {
        dims[i + 1] = nchw[i];
      }
      graph.addOutput(output.getValue(), dims);
      outputShapes.put(output.getValue(), nchw);
    }
    return new Result(graph.build(docString), outputShapes, toNchw(inputShape));
  }

  private int[] addInput(KerasLayer layer, String inputName) {
    JsonNode shape = layer.config().get("batch_input_shape");
    if (shape == null || shape.size() != 4 || shape.get(1).isNull() || shape.get(2).isNull()) {
      throw layer.invalid("batch_input_shape must be [batch, height, width, channels] with a"
          + " fixed height and width, found " + shape);
    }
    int[] hwc = {shape.get(1).asInt(), shape.get(2).asInt(), shape.get(3).asInt()};
    graph.addInput(inputName, -1, hwc[2], hwc[0], hwc[1]);
    tensorOf.put(layer.name(), inputName);
    shapeOf.put(layer.name(), hwc);
    return hwc;
  }

  private void convertLayer(KerasLayer layer) {
    switch (layer.className()) {
      case "ZeroPadding2D" -> zeroPadding(layer);
      case "Conv2D", "DepthwiseConv2D" -> ConvolutionEmitter.emit(this, layer);
      case "BatchNormalization" -> batchNormalization(layer);
      case "ReLU" -> relu(layer);
      case "Activation" -> activationLayer(layer);
      case "Add" -> add(layer);
      case "AveragePooling2D" -> PoolingDenseEmitter.averagePooling(this, layer);
      case "GlobalAveragePooling2D" -> PoolingDenseEmitter.globalAveragePooling(this, layer);
      case "Flatten" -> PoolingDenseEmitter.flatten(this, layer);
      case "Dense" -> PoolingDenseEmitter.dense(this, layer);
      case "Dropout" -> identity(layer);
      default -> throw layer.invalid("layer class is not supported by the ONNX converter");
    }
  }

  private void zeroPadding(KerasLayer layer) {
    requireImage(layer);
    layer.requireValue("data_format", "channels_last");
    JsonNode padding = layer.config().get("padding");
    int[] pads = parsePadding(layer, padding);
    int[] in = shapeOf(layer, 0);
    int[] out = {in[0] + pads[0] + pads[1], in[1] + pads[2] + pads[3], in[2]};
    List<KerasLayer> readers = consumers.getOrDefault(layer.name(), List.of());
    boolean onlyConvolution = readers.size() == 1
        && readers.get(0).className().matches("Conv2D|DepthwiseConv2D")
        && !outputNames.containsKey(layer.name());
    shapeOf.put(layer.name(), out);
    if (onlyConvolution) {
      deferredPads.put(layer.name(), pads);
      tensorOf.put(layer.name(), input(layer, 0));
      return;
    }
    String padsName = layer.name() + "/pads";
    graph.addLongInitializer(padsName,
        new long[] {0, 0, pads[0], pads[2], 0, 0, pads[1], pads[3]}, 8);
    emit(layer, "Pad", new String[] {input(layer, 0), padsName}, "mode", "constant");
  }

  /** Returns {top, bottom, left, right} from any of the Keras padding forms. */
  private static int[] parsePadding(KerasLayer layer, JsonNode padding) {
    if (padding == null || padding.isNull()) {
      throw layer.invalid("setting 'padding' is missing");
    }
    if (padding.isInt()) {
      int p = padding.asInt();
      return new int[] {p, p, p, p};
    }
    if (padding.size() == 2 && padding.get(0).isInt()) {
      int vertical = padding.get(0).asInt();
      int horizontal = padding.get(1).asInt();
      return new int[] {vertical, vertical, horizontal, horizontal};
    }
    if (padding.size() == 2 && padding.get(0).size() == 2 && padding.get(1).size() == 2) {
      return new int[] {padding.get(0).get(0).asInt(), padding.get(0).get(1).asInt(),
          padding.get(1).get(0).asInt(), padding.get(1).get(1).asInt()};
    }
    throw layer.invalid("padding " + padding + " is not an int, a pair or a pair of pairs");
  }

  private void batchNormalization(KerasLayer layer) {
    int[] in = shapeOf(layer, 0);
    int axis = layer.has("axis") ? layer.integer("axis") : -1;
    if (axis != -1 && axis != in.length) {
      throw layer.invalid("axis " + axis + " is not supported, only the channel axis (-1)");
    }
    int channels = in[in.length - 1];
    float[][] params = BatchNormParams.read(model, layer, channels);
    String prefix = layer.name() + "/";
    graph.addFloatInitializer(prefix + "scale", params[0], channels);
    graph.addFloatInitializer(prefix + "bias", params[1], channels);
    graph.addFloatInitializer(prefix + "mean", params[2], channels);
    graph.addFloatInitializer(prefix + "var", params[3], channels);
    float epsilon = (float) layer.number("epsilon");
    emit(layer, "BatchNormalization", new String[] {input(layer, 0), prefix + "scale",
        prefix + "bias", prefix + "mean", prefix + "var"}, "epsilon", epsilon);
    shapeOf.put(layer.name(), in);
  }

  private void relu(KerasLayer layer) {
    double slope = layer.has("negative_slope") ? layer.number("negative_slope") : 0;
    double threshold = layer.has("threshold") ? layer.number("threshold") : 0;
    if (slope != 0 || threshold != 0) {
      throw layer.invalid("only negative_slope 0 and threshold 0 are supported, found "
          + slope + " and " + threshold);
    }
    String target = outputName(layer.name());
    if (layer.has("max_value")) {
      emitClip(input(layer, 0), target, 0f, (float) layer.number("max_value"));
    } else {
      graph.addNode("Relu", new String[] {input(layer, 0)}, target);
    }
    setOutput(layer, target, shapeOf(layer, 0));
  }

  private void activationLayer(KerasLayer layer) {
    String target = outputName(layer.name());
    emitActivation(layer, layer.string("activation"), input(layer, 0), target);
    setOutput(layer, target, shapeOf(layer, 0));
  }

  private void add(KerasLayer layer) {
    int[] first = shapeOf(layer, 0);
    String[] inputs = new String[layer.inbound().size()];
    for (int i = 0; i < inputs.length; i++) {
      if (!Arrays.equals(first, shapeOf(layer, i))) {
        throw layer.invalid("inputs have different shapes; broadcasting is not supported");
      }
      inputs[i] = input(layer, i);
    }
    shapeOf.put(layer.name(), first);
    emit(layer, inputs.length == 2 ? "Add" : "Sum", inputs);
  }

  void identity(KerasLayer layer) {
    shapeOf.put(layer.name(), shapeOf(layer, 0));
    if (outputNames.containsKey(layer.name())) {
      emit(layer, "Identity", new String[] {input(layer, 0)});
    } else {
      tensorOf.put(layer.name(), input(layer, 0));
    }
  }

  // ---- helpers shared with ConvolutionEmitter ----

  TfjsLayersModel model() {
    return model;
  }

  OnnxGraphBuilder graph() {
    return graph;
  }

  /** Returns the ONNX tensor name a layer's output gets: its requested name or its own. */
  String outputName(String layerName) {
    return outputNames.getOrDefault(layerName, layerName);
  }

  /** Returns the ONNX tensor of the layer's i-th input. */
  String input(KerasLayer layer, int i) {
    return tensorOf.get(layer.inbound().get(i));
  }

  /** Returns the NHWC shape without batch of the layer's i-th input. */
  int[] shapeOf(KerasLayer layer, int i) {
    return shapeOf.get(layer.inbound().get(i));
  }

  /** Returns and consumes the pads {top, bottom, left, right} of a folded ZeroPadding2D input. */
  int[] takeDeferredPads(KerasLayer layer) {
    int[] pads = deferredPads.remove(layer.inbound().get(0));
    return pads == null ? new int[4] : pads;
  }

  /** Returns the layer that is the only reader of this layer's output, or null. */
  KerasLayer soleConsumer(KerasLayer layer) {
    List<KerasLayer> readers = consumers.getOrDefault(layer.name(), List.of());
    if (readers.size() != 1 || outputNames.containsKey(layer.name())) {
      return null;
    }
    return readers.get(0);
  }

  /** Records a layer whose output was produced while converting an earlier layer. */
  void markFolded(KerasLayer layer, String tensor, int[] shape) {
    foldedLayers.add(layer.name());
    tensorOf.put(layer.name(), tensor);
    shapeOf.put(layer.name(), shape);
  }

  /** Records the NHWC shape of a layer whose node {@link #emit} wrote. */
  void setShape(KerasLayer layer, int[] shape) {
    shapeOf.put(layer.name(), shape);
  }

  /** Records the tensor and NHWC shape of a layer's output. */
  void setOutput(KerasLayer layer, String tensor, int[] shape) {
    tensorOf.put(layer.name(), tensor);
    shapeOf.put(layer.name(), shape);
  }

  void checkShape(KerasLayer layer, String weight, int... expected) {
    int[] actual = model.weightShape(weight);
    if (!Arrays.equals(actual, expected)) {
      throw layer.invalid("weight '" + weight + "' has shape " + Arrays.toString(actual)
          + ", expected " + Arrays.toString(expected));
    }
  }

  /** Writes {@code activation(source)} to {@code target}; linear needs source == target. */
  void emitActivation(KerasLayer layer, String activation, String source, String target) {
    switch (activation) {
      case "linear" -> {
        if (!source.equals(target)) {
          graph.addNode("Identity", new String[] {source}, target);
        }
      }
      case "relu" -> graph.addNode("Relu", new String[] {source}, target);
      case "relu6" -> emitClip(source, target, 0f, 6f);
      case "sigmoid" -> graph.addNode("Sigmoid", new String[] {source}, target);
      case "tanh" -> graph.addNode("Tanh", new String[] {source}, target);
      // Keras softmax runs over the last axis: the units of [batch, units] and the channels of
      // an image, which are axis 1 in both layouts here.
      case "softmax" -> graph.addNode("Softmax", new String[] {source}, target, "axis", 1L);
      default -> throw layer.invalid("activation '" + activation + "' is not supported");
    }
  }

  private void emitClip(String source, String target, float min, float max) {
    String minName = "const/clip_min_" + min;
    String maxName = "const/clip_max_" + max;
    if (!graph.hasTensor(minName)) {
      graph.addFloatInitializer(minName, new float[] {min});
    }
    if (!graph.hasTensor(maxName)) {
      graph.addFloatInitializer(maxName, new float[] {max});
    }
    graph.addNode("Clip", new String[] {source, minName, maxName}, target);
  }

  /** Adds one node that writes the layer's output tensor. */
  void emit(KerasLayer layer, String op, String[] inputs, Object... attributes) {
    String target = outputName(layer.name());
    graph.addNode(op, inputs, target, attributes);
    tensorOf.put(layer.name(), target);
  }

  void requireImage(KerasLayer layer) {
    if (shapeOf(layer, 0).length != 3) {
      throw layer.invalid("expects an image input [height, width, channels], found shape "
          + Arrays.toString(shapeOf(layer, 0)));
    }
  }

  private static int[] toNchw(int[] hwc) {
    return hwc.length == 3 ? new int[] {hwc[2], hwc[0], hwc[1]} : hwc.clone();
  }
}
