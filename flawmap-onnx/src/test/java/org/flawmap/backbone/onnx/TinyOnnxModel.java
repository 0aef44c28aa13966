package org.flawmap.backbone.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * A two-stage ONNX model written with the raw protos, independent of the converter's builder.
 *
 * <p>Input {@code image [N, 3, 8, 8]}. Stage {@code stage_a [N, 4, 4, 4]} is a Conv with 2 × 2
 * kernels at stride 2 whose output channel o sums the window of input channel {@code o % 3},
 * times {@code o + 1}, plus bias {@code 0.5 * o}. Stage {@code stage_b [N, 4, 2, 2]} is a 2 × 2
 * average pool of stage_a at stride 2.
 */
final class TinyOnnxModel {

  static final int SIZE = 8;

  private TinyOnnxModel() {}

  static byte[] build() {
    return build(false);
  }

  /** Builds the model with batch dimension 1 instead of a symbolic one if {@code fixedBatch}. */
  static byte[] build(boolean fixedBatch) {
    TensorProto.Builder weight = TensorProto.newBuilder()
        .setName("w")
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(4).addDims(3).addDims(2).addDims(2);
    for (int o = 0; o < 4; o++) {
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 4; k++) {
          weight.addFloatData(i == o % 3 ? o + 1 : 0);
        }
      }
    }
    TensorProto.Builder bias = TensorProto.newBuilder()
        .setName("b")
        .setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(4);
    for (int o = 0; o < 4; o++) {
      bias.addFloatData(0.5f * o);
    }

    NodeProto conv = NodeProto.newBuilder()
        .setOpType("Conv").addInput("image").addInput("w").addInput("b").addOutput("stage_a")
        .addAttribute(ints("kernel_shape", 2, 2))
        .addAttribute(ints("strides", 2, 2))
        .build();
    NodeProto pool = NodeProto.newBuilder()
        .setOpType("AveragePool").addInput("stage_a").addOutput("stage_b")
        .addAttribute(ints("kernel_shape", 2, 2))
        .addAttribute(ints("strides", 2, 2))
        .build();
    GraphProto graph = GraphProto.newBuilder()
        .setName("tiny")
        .addNode(conv)
        .addNode(pool)
        .addInitializer(weight)
        .addInitializer(bias)
        .addInput(tensor("image", fixedBatch, 3, SIZE, SIZE))
        .addOutput(tensor("stage_a", fixedBatch, 4, 4, 4))
        .addOutput(tensor("stage_b", fixedBatch, 4, 2, 2))
        .build();
    return ModelProto.newBuilder()
        .setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  /** Computes stage_a of one CHW image by the definition above, CHW order. */
  static double[] stageA(float[] image) {
    double[] out = new double[4 * 4 * 4];
    for (int o = 0; o < 4; o++) {
      int c = o % 3;
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          double sum = 0;
          for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
              sum += image[(c * SIZE + 2 * y + dy) * SIZE + 2 * x + dx];
            }
          }
          out[(o * 4 + y) * 4 + x] = (o + 1) * sum + 0.5 * o;
        }
      }
    }
    return out;
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder attribute = AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long value : values) {
      attribute.addInts(value);
    }
    return attribute.build();
  }

  /** Float tensor [N, c, h, w] with a symbolic batch N, or N = 1 if {@code fixedBatch}. */
  private static ValueInfoProto tensor(String name, boolean fixedBatch, int c, int h, int w) {
    TensorShapeProto.Dimension.Builder batch = fixedBatch
        ? TensorShapeProto.Dimension.newBuilder().setDimValue(1)
        : TensorShapeProto.Dimension.newBuilder().setDimParam("N");
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(batch);
    for (int dim : new int[] {c, h, w}) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE)
            .setShape(shape)))
        .build();
  }
}
