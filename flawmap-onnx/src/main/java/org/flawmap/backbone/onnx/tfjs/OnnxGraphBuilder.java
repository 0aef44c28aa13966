package org.flawmap.backbone.onnx.tfjs;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * Collects the nodes, initializers, inputs and outputs of an ONNX graph in insertion order.
 *
 * <p>The serialized model depends only on the order of calls, because the builder adds no
 * timestamps and the ONNX protos hold no maps, so the same calls give the same bytes.
 */
final class OnnxGraphBuilder {

  /** Opset 13 is the first with Softmax over one axis, supported by ONNX Runtime since 1.7. */
  static final int OPSET = 13;

  /** IR version 7 is the one that introduced opset 13. */
  private static final int IR_VERSION = 7;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> tensorNames = new HashSet<>();

  OnnxGraphBuilder(String graphName) {
    graph.setName(graphName);
  }

  /** Adds a float32 graph input with a symbolic batch dimension, {@code dims[0] < 0}. */
  void addInput(String name, long... dims) {
    claim(name);
    graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
  }

  /** Declares an existing tensor as a graph output; {@code dims[0] < 0} is the batch. */
  void addOutput(String name, long... dims) {
    if (!tensorNames.contains(name)) {
      throw new IllegalStateException("graph output '" + name + "' is produced by no node");
    }
    graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
  }

  /** Adds a float32 constant stored as little-endian raw data. */
  void addFloatInitializer(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    addInitializer(name, TensorProto.DataType.FLOAT_VALUE, bytes.array(), dims);
  }

  /** Adds an int64 constant, for example the pads input of Pad. */
  void addLongInitializer(String name, long[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    addInitializer(name, TensorProto.DataType.INT64_VALUE, bytes.array(), dims);
  }

  /** Returns whether a tensor of this name exists, so shared constants are added once. */
  boolean hasTensor(String name) {
    return tensorNames.contains(name);
  }

  /**
   * Adds a node with one output.
   *
   * @param attributes pairs of attribute name and value: {@code Long}, {@code Float},
   *     {@code String} or {@code long[]}
   */
  void addNode(String opType, String[] inputs, String output, Object... attributes) {
    for (String input : inputs) {
      if (!input.isEmpty() && !tensorNames.contains(input)) {
        throw new IllegalStateException(
            "node '" + output + "' (" + opType + ") reads unknown tensor '" + input + "'");
      }
    }
    claim(output);
    NodeProto.Builder node = NodeProto.newBuilder()
        .setName(output)
        .setOpType(opType)
        .addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      node.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
    }
    graph.addNode(node);
  }

  /** Returns the model with this graph, opset 13 of the default domain. */
  ModelProto build(String docString) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("flawmap")
        .setProducerVersion("tfjs-import-1")
        .setDocString(docString)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph.build())
        .build();
  }

  private void addInitializer(String name, int dataType, byte[] raw, long... dims) {
    claim(name);
    TensorProto.Builder tensor = TensorProto.newBuilder()
        .setName(name)
        .setDataType(dataType)
        .setRawData(ByteString.copyFrom(raw));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    graph.addInitializer(tensor);
  }

  private void claim(String name) {
    if (!tensorNames.add(name)) {
      throw new IllegalStateException("tensor name '" + name + "' is used twice in the graph");
    }
  }

  private static ValueInfoProto valueInfo(String name, int elemType, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      TensorShapeProto.Dimension.Builder dimension = TensorShapeProto.Dimension.newBuilder();
      if (dim < 0) {
        dimension.setDimParam("batch");
      } else {
        dimension.setDimValue(dim);
      }
      shape.addDim(dimension);
    }
    TypeProto.Tensor.Builder tensorType = TypeProto.Tensor.newBuilder()
        .setElemType(elemType)
        .setShape(shape);
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensorType))
        .build();
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name);
    if (value instanceof Long l) {
      attribute.setType(AttributeType.INT).setI(l);
    } else if (value instanceof Integer i) {
      attribute.setType(AttributeType.INT).setI(i);
    } else if (value instanceof Float f) {
      attribute.setType(AttributeType.FLOAT).setF(f);
    } else if (value instanceof String s) {
      attribute.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (value instanceof long[] longs) {
      attribute.setType(AttributeType.INTS);
      for (long l : longs) {
        attribute.addInts(l);
      }
    } else {
      throw new IllegalArgumentException("unsupported attribute type for '" + name + "': "
          + value.getClass().getName());
    }
    return attribute.build();
  }
}
