package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts a small synthetic Keras model that uses every supported layer and setting, and checks
 * ONNX Runtime's outputs against {@link KerasReference}.
 */
class KerasOnnxConverterTest {

  private static final int HEIGHT = 9;
  private static final int WIDTH = 10;

  /** Values are of order 1 to 10 here, float32 rounding stays near 1e-6. */
  private static final double TOLERANCE = 1e-4;

  @TempDir
  Path dir;

  /**
   * Builds the test network. Odd and even sizes make 'same' padding asymmetric in one axis only.
   */
  private static SyntheticTfjsModel network() {
    SyntheticTfjsModel m = new SyntheticTfjsModel(7);
    m.input("input_1", HEIGHT, WIDTH, 3);

    // 'same' with stride 2: 9 -> 5 rows (pads 1/1), 10 -> 5 columns (pads 0/1).
    m.layer("conv_s2", "Conv2D", SyntheticTfjsModel.conv(4, 3, 3, 2, "same", "relu", true))
        .quantizedWeight("conv_s2/kernel", -0.6, 0.005, 3, 3, 3, 4)
        .floatWeight("conv_s2/bias", -0.2, 0.2, 4);

    // Not folded, because the convolution before it has an activation.
    m.layer("bn_after_relu", "BatchNormalization", batchNorm(true, true));
    addBatchNormWeights(m, "bn_after_relu", 4, true, true);

    ObjectNode depthwise = SyntheticTfjsModel.conv(0, 3, 3, 1, "same", "linear", false);
    depthwise.remove("filters");
    depthwise.put("depth_multiplier", 2);
    m.layer("dw", "DepthwiseConv2D", depthwise)
        .floatWeight("dw/depthwise_kernel", -0.5, 0.5, 3, 3, 4, 2);

    // Folded into dw. With scale false the layer has no gamma weight.
    m.layer("dw_bn", "BatchNormalization", batchNorm(false, true));
    addBatchNormWeights(m, "dw_bn", 8, false, true);

    ObjectNode relu6 = SyntheticTfjsModel.config();
    relu6.put("max_value", 6).put("negative_slope", 0).put("threshold", 0);
    m.layer("relu6", "ReLU", relu6);

    ObjectNode dilated = SyntheticTfjsModel.conv(8, 3, 3, 1, "same", "linear", true);
    dilated.putArray("dilation_rate").add(2).add(2);
    m.layer("conv_dilated", "Conv2D", dilated)
        .quantizedWeight("conv_dilated/kernel", -0.3, 0.0025, 3, 3, 8, 8)
        .floatWeight("conv_dilated/bias", -0.1, 0.1, 8);

    m.layer("add3", "Add", SyntheticTfjsModel.config(), "relu6", "conv_dilated", "dw_bn");

    // Feeds a pooling layer, so it stays a Pad node.
    ObjectNode padAll = SyntheticTfjsModel.config();
    padAll.put("padding", 1).put("data_format", "channels_last");
    m.layer("pad_for_pool", "ZeroPadding2D", padAll);

    ObjectNode pool = SyntheticTfjsModel.config();
    pool.putArray("pool_size").add(2).add(2);
    pool.putArray("strides").add(2).add(2);
    pool.put("padding", "same").put("data_format", "channels_last");
    m.layer("pool_same", "AveragePooling2D", pool);

    // Feeds a convolution, so it becomes the convolution's pads.
    ObjectNode padUneven = SyntheticTfjsModel.config();
    padUneven.put("data_format", "channels_last");
    padUneven.putArray("padding").add(m.pair(1, 2)).add(m.pair(0, 1));
    m.layer("pad_for_conv", "ZeroPadding2D", padUneven);

    ObjectNode valid = SyntheticTfjsModel.conv(6, 2, 3, 1, "valid", "linear", true);
    valid.putArray("strides").add(2).add(1);
    m.layer("conv_valid", "Conv2D", valid)
        .floatWeight("conv_valid/kernel", -0.4, 0.4, 2, 3, 8, 6)
        .floatWeight("conv_valid/bias", -0.1, 0.1, 6);

    ObjectNode relu = SyntheticTfjsModel.config();
    relu.put("activation", "relu");
    m.layer("act", "Activation", relu);

    m.layer("flatten", "Flatten", SyntheticTfjsModel.config().put("data_format", "channels_last"));

    m.layer("drop", "Dropout", SyntheticTfjsModel.config().put("rate", 0.5));

    m.layer("dense_a", "Dense", dense(7, "relu", true))
        .quantizedWeight("dense_a/kernel", -0.2, 0.0016, 54, 7)
        .floatWeight("dense_a/bias", -0.1, 0.1, 7);

    m.layer("gap", "GlobalAveragePooling2D",
        SyntheticTfjsModel.config().put("data_format", "channels_last"), "add3");

    m.layer("dense_b", "Dense", dense(7, "linear", false))
        .floatWeight("dense_b/kernel", -0.5, 0.5, 8, 7);

    m.layer("sum", "Add", SyntheticTfjsModel.config(), "dense_a", "dense_b");

    m.layer("bn_vector", "BatchNormalization", batchNorm(true, false));
    addBatchNormWeights(m, "bn_vector", 7, true, false);

    m.layer("probs", "Dense", dense(3, "softmax", true))
        .floatWeight("probs/kernel", -1, 1, 7, 3)
        .floatWeight("probs/bias", -0.1, 0.1, 3);
    return m;
  }

  @Test
  void onnxMatchesReferenceOnEveryLayerType() throws Exception {
    network().write(dir, "probs");
    TfjsLayersModel model = TfjsLayersModel.read(dir);
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("add3", "features");
    outputs.put("act", "act");
    outputs.put("drop", "drop");
    outputs.put("probs", "probabilities");
    KerasOnnxConverter.Result result =
        KerasOnnxConverter.convert(model, "input", outputs, "synthetic", "test");

    assertArrayEquals(new int[] {3, HEIGHT, WIDTH}, result.inputShape());
    assertArrayEquals(new int[] {8, 5, 5}, result.outputShapes().get("features"));
    assertArrayEquals(new int[] {6, 3, 3}, result.outputShapes().get("act"));
    assertArrayEquals(new int[] {54}, result.outputShapes().get("drop"));
    assertArrayEquals(new int[] {3}, result.outputShapes().get("probabilities"));

    Random random = new Random(3);
    float[][] images = new float[2][3 * HEIGHT * WIDTH];
    for (float[] image : images) {
      for (int i = 0; i < image.length; i++) {
        image[i] = random.nextFloat();
      }
    }
    Map<String, float[]> onnx = runOnnx(result.model().toByteArray(), images);
    KerasReference reference = new KerasReference(model);
    for (int b = 0; b < images.length; b++) {
      float[] hwc = toHwc(images[b]);
      Map<String, KerasReference.Tensor> expected =
          reference.run(hwc, HEIGHT, WIDTH, outputs.keySet());
      for (Map.Entry<String, String> output : outputs.entrySet()) {
        KerasReference.Tensor tensor = expected.get(output.getKey());
        float[] actual = onnx.get(output.getValue());
        int size = tensor.data().length;
        for (int i = 0; i < size; i++) {
          double want = tensor.shape().length == 3 ? nchwValue(tensor, i) : tensor.data()[i];
          assertEquals(want, actual[b * size + i], TOLERANCE,
              output.getKey() + " image " + b + " value " + i);
        }
      }
    }
  }

  @Test
  void conversionIsDeterministic() throws Exception {
    network().write(dir, "probs");
    TfjsLayersModel model = TfjsLayersModel.read(dir);
    Map<String, String> outputs = Map.of("probs", "probabilities");

    byte[] first = KerasOnnxConverter.convert(model, "input", outputs, "g", "d")
        .model().toByteArray();
    byte[] second = KerasOnnxConverter.convert(TfjsLayersModel.read(dir), "input", outputs,
        "g", "d").model().toByteArray();

    assertArrayEquals(first, second);
  }

  @Test
  void unsupportedLayerNamesLayerAndClass() throws Exception {
    SyntheticTfjsModel m = new SyntheticTfjsModel(1);
    m.input("input_1", 4, 4, 3);
    ObjectNode pool = SyntheticTfjsModel.config();
    pool.putArray("pool_size").add(2).add(2);
    pool.put("padding", "valid");
    m.layer("max_pool", "MaxPooling2D", pool);
    m.write(dir, "max_pool");
    TfjsLayersModel model = TfjsLayersModel.read(dir);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> KerasOnnxConverter.convert(model, "input", Map.of("max_pool", "x"), "g", "d"));

    assertTrue(error.getMessage().contains("layer 'max_pool' (MaxPooling2D)"),
        error.getMessage());
  }

  @Test
  void channelsFirstIsRejected() throws Exception {
    SyntheticTfjsModel m = new SyntheticTfjsModel(1);
    m.input("input_1", 4, 4, 3);
    ObjectNode conv = SyntheticTfjsModel.conv(2, 1, 1, 1, "valid", "linear", false);
    conv.put("data_format", "channels_first");
    m.layer("conv", "Conv2D", conv).floatWeight("conv/kernel", -1, 1, 1, 1, 3, 2);
    m.write(dir, "conv");
    TfjsLayersModel model = TfjsLayersModel.read(dir);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> KerasOnnxConverter.convert(model, "input", Map.of("conv", "x"), "g", "d"));

    assertTrue(error.getMessage().contains("data_format"), error.getMessage());
  }

  @Test
  void unknownOutputLayerIsRejected() throws Exception {
    network().write(dir, "probs");
    TfjsLayersModel model = TfjsLayersModel.read(dir);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> KerasOnnxConverter.convert(model, "input", Map.of("block_99", "x"), "g", "d"));

    assertTrue(error.getMessage().contains("'block_99' is not in the model"), error.getMessage());
  }

  @Test
  void shardSizeMismatchIsRejected() throws Exception {
    network().write(dir, "probs");
    java.nio.file.Files.write(dir.resolve("weights.bin"), new byte[10]);

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> TfjsLayersModel.read(dir));

    assertTrue(error.getMessage().contains("but the shards contain 10"), error.getMessage());
  }

  private static Map<String, float[]> runOnnx(byte[] model, float[][] images) throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    FloatBuffer batch = FloatBuffer.allocate(images.length * images[0].length);
    for (float[] image : images) {
      batch.put(image);
    }
    batch.rewind();
    Map<String, float[]> outputs = new LinkedHashMap<>();
    try (OrtSession session = environment.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(environment, batch,
            new long[] {images.length, 3, HEIGHT, WIDTH});
        OrtSession.Result result = session.run(Map.of("input", input),
            Set.of("features", "act", "drop", "probabilities"))) {
      for (Map.Entry<String, ai.onnxruntime.OnnxValue> entry : result) {
        outputs.put(entry.getKey(), ((OnnxTensor) entry.getValue()).getFloatBuffer().array());
      }
    }
    return outputs;
  }

  /** Returns the reference value at flat NCHW index i of a [h, w, c] tensor. */
  private static double nchwValue(KerasReference.Tensor tensor, int i) {
    int h = tensor.shape()[0];
    int w = tensor.shape()[1];
    int c = i / (h * w);
    int y = (i / w) % h;
    int x = i % w;
    return tensor.at(y, x, c);
  }

  private static float[] toHwc(float[] chw) {
    float[] hwc = new float[chw.length];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < HEIGHT; y++) {
        for (int x = 0; x < WIDTH; x++) {
          hwc[(y * WIDTH + x) * 3 + c] = chw[(c * HEIGHT + y) * WIDTH + x];
        }
      }
    }
    return hwc;
  }

  private static ObjectNode batchNorm(boolean scale, boolean center) {
    ObjectNode config = SyntheticTfjsModel.config();
    config.put("axis", -1).put("epsilon", 0.001).put("scale", scale).put("center", center);
    return config;
  }

  private static void addBatchNormWeights(SyntheticTfjsModel m, String name, int channels,
      boolean scale, boolean center) {
    if (scale) {
      m.floatWeight(name + "/gamma", 0.5, 1.5, channels);
    }
    if (center) {
      m.floatWeight(name + "/beta", -0.5, 0.5, channels);
    }
    m.floatWeight(name + "/moving_mean", -0.5, 0.5, channels);
    m.quantizedWeight(name + "/moving_variance", 0.2, 0.004, channels);
  }

  private static ObjectNode dense(int units, String activation, boolean bias) {
    ObjectNode config = SyntheticTfjsModel.config();
    config.put("units", units).put("activation", activation).put("use_bias", bias);
    return config;
  }
}
