package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tfjs graph-model: the JSON file with a TensorFlow GraphDef under {@code modelTopology} and
 * a {@code weightsManifest}, plus the binary weight files that the manifest names.
 *
 * <p>Each manifest group lists weights in storage order, and its {@code paths} are read one after
 * the other as one byte stream, little-endian. A weight without {@code quantization} is stored
 * in its {@code dtype} (float32 or int32, 4 bytes). A quantized weight is stored as
 * {@code quantization.dtype}: float16 (2 bytes, decoded exactly), or uint8 or uint16 that
 * decode to {@code min + scale * q}.
 */
final class TfjsGraphModel {

  private final Path modelFile;
  private final JsonNode root;
  private final Map<String, GraphNode> nodes;
  private final Map<String, GraphModelTensor> weights;
  private final byte[] weightData;

  private TfjsGraphModel(Path modelFile, JsonNode root, Map<String, GraphNode> nodes,
      Map<String, GraphModelTensor> weights, byte[] weightData) {
    this.modelFile = modelFile;
    this.root = root;
    this.nodes = nodes;
    this.weights = weights;
    this.weightData = weightData;
  }

  /**
   * Reads the model JSON file and the weight files beside it.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if the file is not a graph-model, or the weight files are
   *     shorter or longer than the manifest declares
   */
  static TfjsGraphModel read(Path modelFile) throws IOException {
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException("tfjs graph-model file not found: " + modelFile
          + "; check that the package folder is the one with package.json");
    }
    JsonNode root = new ObjectMapper().readTree(modelFile.toFile());
    String format = root.path("format").asText("");
    if (!format.equals("graph-model")) {
      throw new IllegalArgumentException(modelFile + ": format is '" + format
          + "', expected 'graph-model' (a layers-model needs the Keras importer)");
    }

    Map<String, GraphNode> nodes = new LinkedHashMap<>();
    for (JsonNode json : root.path("modelTopology").path("node")) {
      GraphNode node = GraphNode.parse(json);
      if (nodes.put(node.name(), node) != null) {
        throw new IllegalArgumentException(modelFile + ": node name '" + node.name()
            + "' occurs twice");
      }
    }

    Map<String, GraphModelTensor> weights = new LinkedHashMap<>();
    ByteArrayOutputStream allData = new ByteArrayOutputStream();
    for (JsonNode group : root.path("weightsManifest")) {
      ByteArrayOutputStream groupData = new ByteArrayOutputStream();
      for (JsonNode path : group.path("paths")) {
        groupData.write(Files.readAllBytes(modelFile.resolveSibling(path.asText())));
      }
      byte[] bytes = groupData.toByteArray();
      allData.write(bytes);
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode spec : group.path("weights")) {
        GraphModelTensor tensor = decode(modelFile, spec, buffer);
        weights.put(tensor.name(), tensor);
      }
      if (buffer.hasRemaining()) {
        throw new IllegalArgumentException(modelFile + ": weight files " + group.path("paths")
            + " hold " + buffer.remaining() + " bytes more than the manifest declares");
      }
    }
    return new TfjsGraphModel(modelFile, root, Collections.unmodifiableMap(nodes),
        Collections.unmodifiableMap(weights), allData.toByteArray());
  }

  Path modelFile() {
    return modelFile;
  }

  /** Returns the parsed JSON, for metadata such as {@code signature} and {@code generatedBy}. */
  JsonNode json() {
    return root;
  }

  /** Returns the nodes by name, in file order. */
  Map<String, GraphNode> nodes() {
    return nodes;
  }

  /** Returns the decoded constants by name, in manifest order. */
  Map<String, GraphModelTensor> weights() {
    return weights;
  }

  /** Returns the raw bytes of all weight files, in manifest order, for checksums. */
  byte[] weightData() {
    return weightData.clone();
  }

  private static GraphModelTensor decode(Path modelFile, JsonNode spec, ByteBuffer buffer) {
    String name = spec.path("name").asText();
    String dtype = spec.path("dtype").asText();
    int[] shape = new int[spec.path("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = spec.path("shape").get(i).asInt();
    }
    int count = GraphModelTensor.size(shape);
    JsonNode quantization = spec.path("quantization");
    String storage = quantization.isObject() ? quantization.path("dtype").asText() : dtype;
    int bytesPerValue = switch (storage) {
      case "float32", "int32" -> 4;
      case "float16", "uint16" -> 2;
      case "uint8" -> 1;
      default -> throw new IllegalArgumentException(modelFile + ": weight '" + name
          + "' is stored as '" + storage + "'; supported are float32, int32, float16, uint16"
          + " and uint8");
    };
    if (buffer.remaining() < (long) count * bytesPerValue) {
      throw new IllegalArgumentException(modelFile + ": weight files end inside weight '" + name
          + "' (" + count + " values of " + storage + "); the .bin file is truncated");
    }
    if (quantization.isObject() && !dtype.equals("float32")) {
      throw new IllegalArgumentException(modelFile + ": weight '" + name + "' is " + dtype
          + " quantized to " + storage + "; only quantized float32 weights are supported");
    }

    double scale = quantization.path("scale").asDouble(1);
    double min = quantization.path("min").asDouble(0);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = switch (storage) {
        case "float32" -> buffer.getFloat();
        case "int32" -> buffer.getInt();
        case "float16" -> Float16.toFloat(buffer.getShort());
        case "uint16" -> (float) (min + scale * (buffer.getShort() & 0xFFFF));
        default -> (float) (min + scale * (buffer.get() & 0xFF));
      };
    }
    return new GraphModelTensor(name, shape, dtype, values);
  }
}
