package org.flawmap.backbone.onnx.tfjs;

import static org.flawmap.backbone.onnx.tfjs.SyntheticGraphModel.bool;
import static org.flawmap.backbone.onnx.tfjs.SyntheticGraphModel.integer;
import static org.flawmap.backbone.onnx.tfjs.SyntheticGraphModel.ints;
import static org.flawmap.backbone.onnx.tfjs.SyntheticGraphModel.string;
import static org.flawmap.backbone.onnx.tfjs.SyntheticGraphModel.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Converts synthetic graph-models and checks ONNX Runtime against {@link TfGraphReference}. */
class GraphModelConverterTest {

  /** Odd sizes, so that SAME padding at stride 2 differs between the two axes. */
  private static final int HEIGHT = 13;
  private static final int WIDTH = 10;

  /** Values stay below about 50; float32 sums of at most 72 terms round far below this. */
  private static final double TOLERANCE = 1e-4;

  @TempDir
  Path folder;

  /**
   * A graph with every supported op: a stride-2 fused convolution with Relu6, hard-swish, a
   * uint8-quantized 5 × 5 depthwise convolution at stride 2, squeeze-excite with Mean and
   * Sigmoid, a dilated depthwise residual, VALID and 1 × 1 convolutions, BiasAdd, Sub and
   * Identity, plus an unsupported branch that no output needs.
   */
  private Path mixedGraph() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(7);
    graph.node("x", "Placeholder", new String[0], "shape",
        SyntheticGraphModel.shape(1, -1, -1, 3));

    graph.constant("w1", "float16", 3, 3, 3, 8).constant("b1", "float16", 8);
    graph.node("c1", "_FusedConv2D", new String[] {"x", "w1", "b1"},
        "strides", ints(1, 2, 2, 1), "padding", string("SAME"), "data_format", string("NHWC"),
        "fused_ops", strings("BiasAdd", "Relu6"), "num_args", integer(1));

    graph.constant("three", "float32").constant("sixth", "float16");
    graph.node("hs/add", "AddV2", new String[] {"c1", "three"});
    graph.node("hs/relu6", "Relu6", new String[] {"hs/add"});
    graph.node("hs/mul", "Mul", new String[] {"sixth", "c1"});
    graph.node("hs", "Mul", new String[] {"hs/mul", "hs/relu6"});

    graph.constant("dw", "uint8", 5, 5, 8, 2).constant("db", "float32", 16);
    graph.node("d1", "FusedDepthwiseConv2dNative", new String[] {"hs", "dw", "db"},
        "strides", ints(1, 2, 2, 1), "padding", string("SAME"), "dilations", ints(1, 1, 1, 1),
        "fused_ops", strings("BiasAdd", "Relu"), "num_args", integer(1));

    graph.intConstant("axes", 1, 2);
    graph.node("se/mean", "Mean", new String[] {"d1", "axes"}, "keep_dims", bool(true));
    graph.constant("se/w", "float16", 1, 1, 16, 16);
    graph.node("se/conv", "Conv2D", new String[] {"se/mean", "se/w"},
        "strides", ints(1, 1, 1, 1), "padding", string("SAME"));
    graph.node("se/gate", "Sigmoid", new String[] {"se/conv"});
    graph.node("se", "Mul", new String[] {"d1", "se/gate"});

    graph.constant("pw", "float32", 1, 1, 16, 4).constant("pb", "float16", 4);
    graph.node("p/conv", "Conv2D", new String[] {"se:0", "pw"},
        "strides", ints(1, 1, 1, 1), "padding", string("VALID"));
    graph.node("p", "BiasAdd", new String[] {"p/conv", "pb"}, "data_format", string("NHWC"));
    graph.node("p/out", "Identity", new String[] {"p"});

    graph.constant("dw2", "float16", 3, 3, 8, 1);
    graph.node("d2", "DepthwiseConv2dNative", new String[] {"hs", "dw2"},
        "strides", ints(1, 1, 1, 1), "padding", string("SAME"), "dilations", ints(1, 2, 2, 1));
    graph.node("residual", "AddV2", new String[] {"d2", "hs"});

    graph.constant("offset", "float32", 1, 1, 1, 8);
    graph.node("flipped", "Sub", new String[] {"offset", "residual"});
    graph.constant("w3", "float16", 3, 3, 8, 5).constant("b3", "float16", 5);
    graph.node("v", "_FusedConv2D", new String[] {"flipped", "w3", "b3"},
        "strides", ints(1, 2, 2, 1), "padding", string("VALID"),
        "fused_ops", strings("BiasAdd"), "num_args", integer(1));

    graph.node("unused", "TopKV2", new String[] {"c1", "axes"});
    return graph.write(folder);
  }

  @Test
  void mixedGraphMatchesReference() throws Exception {
    Path modelFile = mixedGraph();
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("p/out", "projected");
    outputs.put("flipped", "flipped");
    outputs.put("v", "valid");

    GraphModelConverter.Result result = GraphModelConverter.convert(
        TfjsGraphModel.read(modelFile), "mixed", "input", HEIGHT, WIDTH, outputs, "test");

    // c1: ceil(13 / 2) = 7 by ceil(10 / 2) = 5; d1: 4 by 3; v: VALID 3 × 3 at stride 2 on 7 × 5.
    assertArrayEquals(new int[] {4, 4, 3}, result.outputShapes().get("projected"));
    assertArrayEquals(new int[] {8, 7, 5}, result.outputShapes().get("flipped"));
    assertArrayEquals(new int[] {5, 3, 2}, result.outputShapes().get("valid"));

    Random random = new Random(11);
    float[][] images = new float[2][HEIGHT * WIDTH * 3];
    for (float[] image : images) {
      for (int i = 0; i < image.length; i++) {
        image[i] = random.nextFloat() * 4 - 2;
      }
    }
    Map<String, float[]> onnx = runOnnx(result, images);
    TfGraphReference reference = new TfGraphReference(modelFile);
    for (int n = 0; n < images.length; n++) {
      Map<String, TfGraphReference.Tensor> expected =
          reference.run(images[n], HEIGHT, WIDTH, List.copyOf(outputs.keySet()));
      for (Map.Entry<String, String> output : outputs.entrySet()) {
        assertMatches("image " + n + " " + output.getValue(), expected.get(output.getKey()),
            onnx.get(output.getValue()), n);
      }
    }
  }

  @Test
  void unsupportedOpIsRejectedWithNodeName() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(3);
    graph.node("x", "Placeholder", new String[0]);
    graph.node("resize", "ResizeBilinear", new String[] {"x"});
    graph.node("out", "Relu", new String[] {"resize"});
    Path modelFile = graph.write(folder);
    TfjsGraphModel model = TfjsGraphModel.read(modelFile);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> GraphModelConverter.convert(model, "g", "input", 8, 8, Map.of("out", "out"), ""));

    assertTrue(error.getMessage().startsWith(modelFile.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("node 'resize' (ResizeBilinear)"), error.getMessage());
    assertTrue(error.getMessage().contains("not supported"), error.getMessage());
  }

  @Test
  void unsupportedFusedOpIsRejected() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(5);
    graph.node("x", "Placeholder", new String[0]);
    graph.constant("w", "float32", 1, 1, 3, 4).constant("b", "float32", 4);
    graph.node("conv", "_FusedConv2D", new String[] {"x", "w", "b"},
        "strides", ints(1, 1, 1, 1), "padding", string("SAME"),
        "fused_ops", strings("BiasAdd", "LeakyRelu"), "num_args", integer(1));
    TfjsGraphModel model = TfjsGraphModel.read(graph.write(folder));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> GraphModelConverter.convert(model, "g", "input", 8, 8, Map.of("conv", "y"), ""));

    assertTrue(error.getMessage().contains("node 'conv' (_FusedConv2D)"), error.getMessage());
    assertTrue(error.getMessage().contains("[BiasAdd, LeakyRelu]"), error.getMessage());
  }

  @Test
  void constantOnlyAddIsRejected() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(6);
    graph.node("x", "Placeholder", new String[0]);
    graph.constant("u", "float32", 3).constant("v", "float32", 3);
    graph.node("sum", "Add", new String[] {"u", "v"});
    TfjsGraphModel model = TfjsGraphModel.read(graph.write(folder));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> GraphModelConverter.convert(model, "g", "input", 8, 8, Map.of("sum", "y"), ""));

    assertTrue(error.getMessage().contains("node 'sum' (Add): both inputs are constants"),
        error.getMessage());
  }

  @Test
  void missingOutputNodeIsNamed() throws Exception {
    SyntheticGraphModel graph = new SyntheticGraphModel(1);
    graph.node("x", "Placeholder", new String[0]);
    TfjsGraphModel model = TfjsGraphModel.read(graph.write(folder));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> GraphModelConverter.convert(model, "g", "input", 8, 8, Map.of("nope", "y"), ""));

    assertTrue(error.getMessage().contains("node 'nope' not found"), error.getMessage());
  }

  private static Map<String, float[]> runOnnx(GraphModelConverter.Result result,
      float[][] hwcImages) throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    FloatBuffer batch = FloatBuffer.allocate(hwcImages.length * 3 * HEIGHT * WIDTH);
    for (float[] image : hwcImages) {
      batch.put(TestImages.toChw(image, HEIGHT, WIDTH));
    }
    batch.rewind();
    Map<String, float[]> outputs = new LinkedHashMap<>();
    try (OrtSession session = environment.createSession(result.model().toByteArray(),
            new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(environment, batch,
            new long[] {hwcImages.length, 3, HEIGHT, WIDTH});
        OrtSession.Result run = session.run(Map.of("input", input))) {
      for (String name : result.outputShapes().keySet()) {
        FloatBuffer values = ((OnnxTensor) run.get(name).orElseThrow()).getFloatBuffer();
        float[] array = new float[values.remaining()];
        values.get(array);
        outputs.put(name, array);
      }
    }
    return outputs;
  }

  /** Compares image {@code n} of an NCHW batch with the NHWC reference {@code [1, H, W, C]}. */
  private static void assertMatches(String what, TfGraphReference.Tensor expected, float[] nchw,
      int n) {
    int[] shape = expected.shape();
    int h = shape[1];
    int w = shape[2];
    int c = shape[3];
    assertEquals(2 * c * h * w, nchw.length, what + " element count");
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int k = 0; k < c; k++) {
          double reference = expected.at(0, y, x, k);
          float actual = nchw[((n * c + k) * h + y) * w + x];
          assertEquals(reference, actual, TOLERANCE * (1 + Math.abs(reference)),
              what + " at (c=" + k + ", y=" + y + ", x=" + x + ")");
        }
      }
    }
  }
}
