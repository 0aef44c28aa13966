package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

/**
 * Writes small tfjs graph-models (model.json plus one .bin) for converter tests, with weights
 * stored as float32, float16 or uint8-quantized float32.
 */
final class SyntheticGraphModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode nodes;
  private final ArrayNode weights;
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private final Random random;

  SyntheticGraphModel(long seed) {
    random = new Random(seed);
    root.put("format", "graph-model");
    nodes = root.putObject("modelTopology").putArray("node");
    ObjectNode group = root.putArray("weightsManifest").addObject();
    group.putArray("paths").add("model.bin");
    weights = group.putArray("weights");
  }

  /** Adds a node; {@code attributes} pairs a name with an attribute object from the helpers. */
  SyntheticGraphModel node(String name, String op, String[] inputs, Object... attributes) {
    ObjectNode node = nodes.addObject();
    node.put("name", name);
    node.put("op", op);
    ArrayNode inputList = node.putArray("input");
    for (String input : inputs) {
      inputList.add(input);
    }
    ObjectNode attr = node.putObject("attr");
    for (int i = 0; i < attributes.length; i += 2) {
      attr.set((String) attributes[i], (ObjectNode) attributes[i + 1]);
    }
    return this;
  }

  /**
   * Adds a Const node and its weight with random values that the storage type represents exactly:
   * multiples of 1/64 in [-2, 2] for float16 and float32, {@code -1 + q / 128} for uint8.
   */
  SyntheticGraphModel constant(String name, String storage, int... shape) {
    node(name, "Const", new String[0]);
    ObjectNode spec = weights.addObject();
    spec.put("name", name);
    ArrayNode shapeList = spec.putArray("shape");
    int count = 1;
    for (int dim : shape) {
      shapeList.add(dim);
      count *= dim;
    }
    spec.put("dtype", "float32");
    ByteBuffer bytes = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
    switch (storage) {
      case "float32" -> {
        for (int i = 0; i < count; i++) {
          bytes.putFloat((random.nextInt(257) - 128) / 64f);
        }
      }
      case "float16" -> {
        spec.putObject("quantization").put("dtype", "float16").put("original_dtype", "float32");
        for (int i = 0; i < count; i++) {
          bytes.putShort(toHalf((random.nextInt(257) - 128) / 64f));
        }
      }
      case "uint8" -> {
        spec.putObject("quantization").put("dtype", "uint8").put("min", -1.0)
            .put("scale", 1.0 / 128);
        for (int i = 0; i < count; i++) {
          bytes.put((byte) random.nextInt(256));
        }
      }
      default -> throw new IllegalArgumentException(storage);
    }
    data.write(bytes.array(), 0, bytes.position());
    return this;
  }

  /** Adds an int32 Const, for example the axes of a Mean. */
  SyntheticGraphModel intConstant(String name, int... values) {
    node(name, "Const", new String[0]);
    ObjectNode spec = weights.addObject();
    spec.put("name", name);
    spec.putArray("shape").add(values.length);
    spec.put("dtype", "int32");
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      bytes.putInt(value);
    }
    data.write(bytes.array(), 0, bytes.capacity());
    return this;
  }

  Path write(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.write(folder.resolve("model.bin"), data.toByteArray());
    Path modelFile = folder.resolve("model.json");
    Files.writeString(modelFile, JSON.writeValueAsString(root));
    return modelFile;
  }

  static ObjectNode string(String value) {
    return JSON.createObjectNode().put("s", Base64.getEncoder()
        .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }

  static ObjectNode strings(String... values) {
    ObjectNode attr = JSON.createObjectNode();
    ArrayNode list = attr.putObject("list").putArray("s");
    for (String value : values) {
      list.add(string(value).get("s").asText());
    }
    return attr;
  }

  static ObjectNode ints(int... values) {
    ObjectNode attr = JSON.createObjectNode();
    ArrayNode list = attr.putObject("list").putArray("i");
    for (int value : values) {
      list.add(Integer.toString(value));
    }
    return attr;
  }

  static ObjectNode integer(int value) {
    return JSON.createObjectNode().put("i", Integer.toString(value));
  }

  /** Builds a Placeholder's {@code shape} attribute, where -1 marks an unknown size. */
  static ObjectNode shape(int... dims) {
    ObjectNode attr = JSON.createObjectNode();
    ArrayNode list = attr.putObject("shape").putArray("dim");
    for (int dim : dims) {
      list.addObject().put("size", Integer.toString(dim));
    }
    return attr;
  }

  static ObjectNode type(String dataType) {
    return JSON.createObjectNode().put("type", dataType);
  }

  static ObjectNode bool(boolean value) {
    return JSON.createObjectNode().put("b", value);
  }

  /** Encodes a value that binary16 represents exactly as a normal number or zero. */
  private static short toHalf(float value) {
    if (value == 0) {
      return 0;
    }
    int exponent = Math.getExponent(value);
    double mantissa = (Math.abs(value) / Math.scalb(1.0, exponent) - 1) * 1024;
    int sign = value < 0 ? 0x8000 : 0;
    return (short) (sign | ((exponent + 15) << 10) | (int) mantissa);
  }
}
