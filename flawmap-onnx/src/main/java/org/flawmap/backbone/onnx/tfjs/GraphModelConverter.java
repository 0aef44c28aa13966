package org.flawmap.backbone.onnx.tfjs;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts the part of a tfjs graph-model that the requested nodes depend on into an ONNX
 * opset 13 graph with input {@code [batch, 3, height, width]}.
 *
 * <p>TensorFlow computes in NHWC; the ONNX graph computes in NCHW. Kernels are transposed (see
 * {@link GraphConvolutionEmitter}), per-channel constants get the shape {@code [C, 1, 1]}, and a
 * Mean over the NHWC axes 1 and 2 becomes GlobalAveragePool. Supported ops: {@value #SUPPORTED}.
 * Any other op on the path to an output is rejected with an error that names the node.
 */
final class GraphModelConverter {

  static final String SUPPORTED = "Placeholder, Const, Identity, Conv2D, _FusedConv2D,"
      + " DepthwiseConv2dNative, FusedDepthwiseConv2dNative (fused BiasAdd with Relu or Relu6),"
      + " BiasAdd, Add, AddV2, Sub, Mul, Relu, Relu6, Sigmoid, Mean over height and width";

  /**
   * The converted graph.
   *
   * @param model the ONNX model
   * @param outputShapes output name to its shape {@code [channels, height, width]}
   */
  record Result(ModelProto model, Map<String, int[]> outputShapes) {}

  /** An ONNX tensor and its shape {@code [channels, height, width]} without the batch axis. */
  record Value(String onnxName, int[] chw) {}

  private final TfjsGraphModel model;
  private final OnnxGraphBuilder graph;
  private final Map<String, Value> values = new HashMap<>();
  private final String inputName;
  private final int height;
  private final int width;

  private GraphModelConverter(TfjsGraphModel model, String graphName, String inputName,
      int height, int width) {
    this.model = model;
    this.graph = new OnnxGraphBuilder(graphName);
    this.inputName = inputName;
    this.height = height;
    this.width = width;
  }

  /**
   * Converts the nodes that {@code outputs} need, and nothing else.
   *
   * @param outputs TensorFlow node name to the ONNX output name it gets, in output order
   * @param height input height in pixels; the graph's own Placeholder size is not used
   * @throws IllegalArgumentException if a node is missing, an op or attribute is unsupported,
   *     or shapes do not fit. The message names the file and the node.
   */
  static Result convert(TfjsGraphModel model, String graphName, String inputName, int height,
      int width, Map<String, String> outputs, String docString) {
    GraphModelConverter converter =
        new GraphModelConverter(model, graphName, inputName, height, width);
    try {
      for (String nodeName : converter.topologicalOrder(outputs.keySet())) {
        converter.emit(model.nodes().get(nodeName));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(model.modelFile() + ": " + e.getMessage(), e);
    }

    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      Value value = converter.value(output.getKey());
      if (!value.onnxName().equals(output.getValue())) {
        if (converter.graph.hasTensor(output.getValue())) {
          throw new IllegalArgumentException(model.modelFile() + ": output name '"
              + output.getValue() + "' is already the name of another node's tensor; choose"
              + " another output name");
        }
        converter.graph.addNode("Identity", new String[] {value.onnxName()}, output.getValue());
      }
      int[] chw = value.chw();
      converter.graph.addOutput(output.getValue(), -1, chw[0], chw[1], chw[2]);
      shapes.put(output.getValue(), chw.clone());
    }
    return new Result(converter.graph.build(docString), shapes);
  }

  OnnxGraphBuilder graph() {
    return graph;
  }

  /** Returns the tensor that node {@code name} produces; it must already be emitted. */
  Value value(String name) {
    Value value = values.get(stripOutputIndex(name));
    if (value == null) {
      throw new IllegalArgumentException("'" + name + "' is not a tensor the converter produced;"
          + " a constant cannot be used here");
    }
    return value;
  }

  /** Returns the constant that node {@code name} is, or null if it is not a Const. */
  GraphModelTensor constant(String name) {
    GraphNode node = model.nodes().get(stripOutputIndex(name));
    if (node == null || !node.op().equals("Const")) {
      return null;
    }
    GraphModelTensor tensor = model.weights().get(node.name());
    if (tensor == null) {
      throw node.invalid("the constant has no entry in the weights manifest");
    }
    return tensor;
  }

  void define(GraphNode node, String onnxName, int[] chw) {
    values.put(node.name(), new Value(onnxName, chw));
  }

  /** Adds ReLU6 as Clip(0, 6); Clip takes its bounds as inputs since opset 11. */
  void emitRelu6(String input, String output) {
    if (!graph.hasTensor("relu6/min")) {
      graph.addFloatInitializer("relu6/min", new float[] {0f});
      graph.addFloatInitializer("relu6/max", new float[] {6f});
    }
    graph.addNode("Clip", new String[] {input, "relu6/min", "relu6/max"}, output);
  }

  private void emit(GraphNode node) {
    switch (node.op()) {
      case "Const" -> constant(node.name());
      case "Placeholder" -> emitPlaceholder(node);
      case "Identity" -> values.put(node.name(), value(single(node)));
      case "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" ->
          GraphConvolutionEmitter.emit(this, node);
      case "Add", "AddV2", "BiasAdd" -> emitBinary(node, "Add");
      case "Sub" -> emitBinary(node, "Sub");
      case "Mul" -> emitBinary(node, "Mul");
      case "Relu", "Sigmoid" -> {
        Value input = value(single(node));
        graph.addNode(node.op(), new String[] {input.onnxName()}, node.name());
        define(node, node.name(), input.chw());
      }
      case "Relu6" -> {
        Value input = value(single(node));
        emitRelu6(input.onnxName(), node.name());
        define(node, node.name(), input.chw());
      }
      case "Mean" -> emitMean(node);
      default -> throw node.invalid("op '" + node.op() + "' is not supported; supported ops: "
          + SUPPORTED);
    }
  }

  private void emitPlaceholder(GraphNode node) {
    if (graph.hasTensor(inputName)) {
      throw node.invalid("is a second Placeholder, but the converter supports one input image");
    }
    String dtype = node.attributes().path("dtype").path("type").asText("DT_FLOAT");
    if (!dtype.equals("DT_FLOAT")) {
      throw node.invalid("input type is " + dtype + ", expected DT_FLOAT");
    }
    int[] dims = node.attributes().path("shape").path("shape").findValues("size").stream()
        .mapToInt(size -> size.asInt()).toArray();
    if (dims.length == 4 && dims[3] != 3) {
      throw node.invalid("input has " + dims[3] + " channels (NHWC " + Arrays.toString(dims)
          + "), expected 3 (RGB)");
    }
    graph.addInput(inputName, -1, 3, height, width);
    define(node, inputName, new int[] {3, height, width});
  }

  /** Emits an elementwise op with NumPy broadcasting; at most one input may be a constant. */
  private void emitBinary(GraphNode node, String onnxOp) {
    if (node.inputs().size() != 2) {
      throw node.invalid("expects 2 inputs, found " + node.inputs().size());
    }
    if (node.op().equals("BiasAdd") && !node.string("data_format", "NHWC").equals("NHWC")) {
      throw node.invalid("data_format '" + node.string("data_format") + "', expected NHWC");
    }
    if (constant(node.inputs().get(0)) != null && constant(node.inputs().get(1)) != null) {
      throw node.invalid("both inputs are constants, which the converter does not fold");
    }
    String[] names = new String[2];
    int[][] shapes = new int[2][];
    for (int i = 0; i < 2; i++) {
      GraphModelTensor constant = constant(node.inputs().get(i));
      if (constant == null) {
        Value value = value(node.inputs().get(i));
        names[i] = value.onnxName();
        shapes[i] = value.chw();
      } else {
        shapes[i] = addBroadcastConstant(node, constant);
        names[i] = constant.name() + "/nchw";
      }
    }
    int[] chw = new int[3];
    for (int axis = 0; axis < 3; axis++) {
      int a = shapes[0][axis];
      int b = shapes[1][axis];
      if (a != b && a != 1 && b != 1) {
        throw node.invalid("shapes " + Arrays.toString(shapes[0]) + " and "
            + Arrays.toString(shapes[1]) + " (CHW) do not broadcast");
      }
      chw[axis] = Math.max(a, b);
    }
    graph.addNode(onnxOp, names, node.name());
    define(node, node.name(), chw);
  }

  /**
   * Adds a constant operand in NCHW layout under {@code NAME/nchw} and returns its broadcast
   * shape {@code [C, H, W]}: a scalar stays a scalar, {@code [C]} becomes {@code [C, 1, 1]}, and
   * {@code [1, H, W, C]} is transposed to {@code [1, C, H, W]}.
   */
  private int[] addBroadcastConstant(GraphNode node, GraphModelTensor constant) {
    int[] shape = constant.shape();
    String name = constant.name() + "/nchw";
    int[] chw;
    float[] data = constant.values();
    long[] dims;
    if (shape.length == 0) {
      chw = new int[] {1, 1, 1};
      dims = new long[0];
    } else if (shape.length == 1) {
      chw = new int[] {shape[0], 1, 1};
      dims = new long[] {shape[0], 1, 1};
    } else if (shape.length == 4 && shape[0] == 1) {
      chw = new int[] {shape[3], shape[1], shape[2]};
      dims = new long[] {1, shape[3], shape[1], shape[2]};
      data = GraphConvolutionEmitter.hwcToChw(data, shape[1], shape[2], shape[3]);
    } else {
      throw node.invalid("constant operand " + constant + " is not a scalar, [C] or"
          + " [1, H, W, C]");
    }
    if (!graph.hasTensor(name)) {
      graph.addFloatInitializer(name, data, dims);
    }
    return chw;
  }

  private void emitMean(GraphNode node) {
    if (node.inputs().size() != 2) {
      throw node.invalid("expects 2 inputs (tensor, axes), found " + node.inputs().size());
    }
    Value input = value(node.inputs().get(0));
    GraphModelTensor axes = constant(node.inputs().get(1));
    Set<Integer> axisSet = new HashSet<>();
    if (axes != null) {
      for (float axis : axes.values()) {
        axisSet.add(((int) axis + 4) % 4);
      }
    }
    if (!axisSet.equals(Set.of(1, 2)) || !node.bool("keep_dims", false)) {
      throw node.invalid("only a Mean over the NHWC axes [1, 2] with keep_dims=true (global"
          + " average pooling) is supported, found axes " + (axes == null ? "not constant"
          : Arrays.toString(axes.values())) + ", keep_dims " + node.bool("keep_dims", false));
    }
    graph.addNode("GlobalAveragePool", new String[] {input.onnxName()}, node.name());
    define(node, node.name(), new int[] {input.chw()[0], 1, 1});
  }

  /** Lists the needed nodes so that each comes after all its inputs (iterative DFS). */
  private List<String> topologicalOrder(Iterable<String> outputs) {
    List<String> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> open = new HashSet<>();
    Deque<String[]> stack = new ArrayDeque<>();
    for (String output : outputs) {
      stack.push(new String[] {stripOutputIndex(output), null});
      while (!stack.isEmpty()) {
        String[] entry = stack.pop();
        String name = entry[0];
        if (entry[1] != null) {
          open.remove(name);
          done.add(name);
          order.add(name);
          continue;
        }
        if (done.contains(name)) {
          continue;
        }
        GraphNode node = model.nodes().get(name);
        if (node == null) {
          throw new IllegalArgumentException(model.modelFile() + ": node '" + name
              + "' not found in modelTopology.node");
        }
        if (!open.add(name)) {
          throw new IllegalArgumentException(model.modelFile() + ": the graph has a cycle"
              + " through node '" + name + "'");
        }
        stack.push(new String[] {name, "exit"});
        for (String input : node.inputs()) {
          String inputName = stripOutputIndex(input);
          if (!done.contains(inputName)) {
            stack.push(new String[] {inputName, null});
          }
        }
      }
    }
    return order;
  }

  private static String single(GraphNode node) {
    if (node.inputs().size() != 1) {
      throw node.invalid("expects 1 input, found " + node.inputs().size());
    }
    return node.inputs().get(0);
  }

  /** Maps {@code name:0} to {@code name}; other output indices are not supported. */
  private static String stripOutputIndex(String input) {
    int colon = input.lastIndexOf(':');
    if (colon < 0) {
      return input;
    }
    if (!input.substring(colon + 1).equals("0")) {
      throw new IllegalArgumentException("input '" + input + "' reads an output other than the"
          + " first, which is not supported");
    }
    return input.substring(0, colon);
  }
}
