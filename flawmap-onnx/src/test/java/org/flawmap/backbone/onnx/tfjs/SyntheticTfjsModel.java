package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a small tfjs layers model (model.json plus one binary shard) for converter tests, with
 * float32 and uint8-quantized weights mixed.
 */
final class SyntheticTfjsModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArrayNode layers = JSON.createArrayNode();
  private final ArrayNode weights = JSON.createArrayNode();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private final Random random;
  private String lastLayer;

  SyntheticTfjsModel(long seed) {
    random = new Random(seed);
  }

  /** Adds an input layer of {@code [null, height, width, channels]}. */
  SyntheticTfjsModel input(String name, int height, int width, int channels) {
    ObjectNode config = JSON.createObjectNode();
    config.putArray("batch_input_shape").addNull().add(height).add(width).add(channels);
    config.put("dtype", "float32");
    return layer(name, "InputLayer", config);
  }

  /** Adds a layer; without explicit inputs it reads the previously added layer. */
  SyntheticTfjsModel layer(String name, String className, ObjectNode config, String... inbound) {
    ObjectNode layer = layers.addObject();
    layer.put("name", name);
    layer.put("class_name", className);
    config.put("name", name);
    layer.set("config", config);
    ArrayNode nodes = layer.putArray("inbound_nodes");
    String[] sources = inbound.length == 0 && lastLayer != null
        ? new String[] {lastLayer} : inbound;
    if (sources.length > 0) {
      ArrayNode node = nodes.addArray();
      for (String source : sources) {
        node.addArray().add(source).add(0).add(0).addObject();
      }
    }
    lastLayer = name;
    return this;
  }

  /** Adds a float32 weight with values uniform in [low, high). */
  SyntheticTfjsModel floatWeight(String name, double low, double high, int... shape) {
    ObjectNode spec = spec(name, shape);
    ByteBuffer bytes = ByteBuffer.allocate(4 * count(shape)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count(shape); i++) {
      bytes.putFloat((float) (low + (high - low) * random.nextDouble()));
    }
    data.writeBytes(bytes.array());
    weights.add(spec);
    return this;
  }

  /** Adds a uint8-quantized weight: min + scale * q with random q. */
  SyntheticTfjsModel quantizedWeight(String name, double min, double scale, int... shape) {
    ObjectNode spec = spec(name, shape);
    ObjectNode quantization = spec.putObject("quantization");
    quantization.put("min", min);
    quantization.put("scale", scale);
    quantization.put("dtype", "uint8");
    byte[] q = new byte[count(shape)];
    random.nextBytes(q);
    data.writeBytes(q);
    weights.add(spec);
    return this;
  }

  /** Writes model.json and the shard {@code weights.bin} into {@code dir}. */
  void write(Path dir, String... outputLayers) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode topology = root.putObject("modelTopology");
    topology.put("keras_version", "2.2.4");
    ObjectNode modelConfig = topology.putObject("model_config");
    modelConfig.put("class_name", "Model");
    ObjectNode config = modelConfig.putObject("config");
    config.put("name", "synthetic");
    config.set("layers", layers);
    config.putArray("input_layers").addArray().add("input_1").add(0).add(0);
    ArrayNode outputs = config.putArray("output_layers");
    for (String output : outputLayers) {
      outputs.addArray().add(output).add(0).add(0);
    }
    ObjectNode group = root.putArray("weightsManifest").addObject();
    group.putArray("paths").add("weights.bin");
    group.set("weights", weights);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("model.json"), JSON.writeValueAsString(root));
    Files.write(dir.resolve("weights.bin"), data.toByteArray());
  }

  /** Returns {@code [a, b]}, for nested padding settings. */
  ArrayNode pair(int a, int b) {
    return JSON.createArrayNode().add(a).add(b);
  }

  static ObjectNode config() {
    return JSON.createObjectNode();
  }

  static ObjectNode conv(int filters, int kernelH, int kernelW, int stride, String padding,
      String activation, boolean bias) {
    ObjectNode config = config();
    config.put("filters", filters);
    config.putArray("kernel_size").add(kernelH).add(kernelW);
    config.putArray("strides").add(stride).add(stride);
    config.put("padding", padding);
    config.put("data_format", "channels_last");
    config.putArray("dilation_rate").add(1).add(1);
    config.put("activation", activation);
    config.put("use_bias", bias);
    return config;
  }

  private static ObjectNode spec(String name, int[] shape) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("name", name);
    ArrayNode dims = spec.putArray("shape");
    for (int dim : shape) {
      dims.add(dim);
    }
    spec.put("dtype", "float32");
    return spec;
  }

  private static int count(int[] shape) {
    int count = 1;
    for (int dim : shape) {
      count *= dim;
    }
    return count;
  }
}
