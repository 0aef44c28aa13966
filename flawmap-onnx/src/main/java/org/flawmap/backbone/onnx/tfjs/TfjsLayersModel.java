package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TensorFlow.js layers model read from disk: the Keras topology, the weights manifest and the
 * concatenated weight bytes.
 *
 * <p>Two file layouts are read. The standard one is {@code model.json} with binary shards named
 * as in the manifest's {@code paths}. The bundled one, which nsfwjs ships, is {@code model.min.js}
 * and {@code <path>.min.js} shards: UMD modules whose {@code exports} is the model.json object
 * as a JavaScript literal, and one base64 string per shard.
 *
 * <p>The weight bytes are the shards concatenated in manifest order. Each tensor takes
 * {@code product(shape) * bytesPerValue} bytes in row-major order, one after another in the order
 * of {@link #weightSpecs()}. A quantized tensor stores {@code q} and decodes as
 * {@code min + scale * q}, as the tfjs loader does.
 */
public final class TfjsLayersModel {

  private static final Pattern UMD_EXPORT = Pattern.compile("\\.exports\\s*=\\s*(?=[{\"'])");

  private final Path modelFile;
  private final JsonNode modelTopology;
  private final List<KerasLayer> layers;
  private final List<String> outputLayers;
  private final List<WeightSpec> weightSpecs;
  private final Map<String, WeightSpec> specsByName;
  private final byte[] weightData;

  /**
   * One entry of the weights manifest.
   *
   * @param name weight name, {@code <layer>/<variable>}, for example {@code Conv1/kernel}
   * @param shape Keras shape, for example {@code [kh, kw, in, out]} for a Conv2D kernel
   * @param dtype stored type: {@code float32}, {@code uint8} or {@code uint16}
   * @param min dequantization offset, 0 for float32
   * @param scale dequantization step, 1 for float32
   * @param offset byte offset in {@link #weightData()}
   */
  public record WeightSpec(
      String name, int[] shape, String dtype, double min, double scale, long offset) {

    public WeightSpec {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Returns the number of values, the product of the shape. */
    public int size() {
      int size = 1;
      for (int dim : shape) {
        size = Math.multiplyExact(size, dim);
      }
      return size;
    }

    /** Returns the bytes per stored value. */
    public int bytesPerValue() {
      return switch (dtype) {
        case "uint8" -> 1;
        case "uint16" -> 2;
        default -> 4;
      };
    }
  }

  private TfjsLayersModel(
      Path modelFile, JsonNode modelJson, byte[] weightData) {
    this.modelFile = modelFile;
    this.modelTopology = require(modelJson, "modelTopology");
    JsonNode modelConfig = require(modelTopology, "model_config");
    String modelClass = require(modelConfig, "class_name").asText();
    if (!modelClass.equals("Model") && !modelClass.equals("Functional")) {
      throw invalid("model class '" + modelClass + "' is not supported, only functional models"
          + " (class_name Model or Functional) are");
    }
    JsonNode config = require(modelConfig, "config");
    this.layers = parseLayers(require(config, "layers"));
    this.outputLayers = parseOutputLayers(require(config, "output_layers"));
    this.weightSpecs = parseManifest(require(modelJson, "weightsManifest"));
    this.weightData = weightData;
    Map<String, WeightSpec> byName = new LinkedHashMap<>();
    for (WeightSpec spec : weightSpecs) {
      if (byName.put(spec.name(), spec) != null) {
        throw invalid("weight '" + spec.name() + "' appears twice in the weights manifest");
      }
    }
    this.specsByName = Collections.unmodifiableMap(byName);
    long expected = weightSpecs.isEmpty() ? 0 : lastEnd();
    if (expected != weightData.length) {
      throw invalid("the weights manifest describes %d bytes but the shards contain %d"
          .formatted(expected, weightData.length));
    }
  }

  /**
   * Reads a model from a folder that contains {@code model.json} or {@code model.min.js} and the
   * shards named in its manifest.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if a file is not a valid tfjs layers model
   */
  public static TfjsLayersModel read(Path modelDir) throws IOException {
    Path json = modelDir.resolve("model.json");
    Path bundled = modelDir.resolve("model.min.js");
    Path modelFile;
    JsonNode modelJson;
    if (Files.isRegularFile(json)) {
      modelFile = json;
      modelJson = new ObjectMapper().readTree(json.toFile());
    } else if (Files.isRegularFile(bundled)) {
      modelFile = bundled;
      modelJson = parseUmdExport(bundled);
    } else {
      throw new IOException("no model.json or model.min.js found in " + modelDir
          + "; pass the folder that contains the tfjs model files");
    }
    byte[] weights = readShards(modelDir, modelFile, modelJson);
    return new TfjsLayersModel(modelFile, modelJson, weights);
  }

  /** Returns the model file that was read, for messages and provenance. */
  public Path modelFile() {
    return modelFile;
  }

  /** Returns the {@code modelTopology} object: Keras version, model config, training config. */
  public JsonNode modelTopology() {
    return modelTopology.deepCopy();
  }

  /** Returns the layers in the order of the topology, which Keras writes inputs first. */
  public List<KerasLayer> layers() {
    return layers;
  }

  /** Returns the names of the model's output layers. */
  public List<String> outputLayers() {
    return outputLayers;
  }

  /** Returns the weights manifest in stored order. */
  public List<WeightSpec> weightSpecs() {
    return weightSpecs;
  }

  /** Returns a copy of the concatenated weight bytes that {@link WeightSpec#offset} points in. */
  public byte[] weightData() {
    return weightData.clone();
  }

  /** Returns whether the manifest has a weight of this name. */
  public boolean hasWeight(String name) {
    return specsByName.containsKey(name);
  }

  /**
   * Decodes one weight to float32 values in Keras (row-major) order.
   *
   * @throws IllegalArgumentException if the manifest has no weight of this name
   */
  public float[] weight(String name) {
    WeightSpec spec = specsByName.get(name);
    if (spec == null) {
      throw invalid("weight '" + name + "' is missing from the weights manifest");
    }
    ByteBuffer bytes = ByteBuffer.wrap(weightData).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[spec.size()];
    int base = Math.toIntExact(spec.offset());
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (spec.dtype()) {
        case "uint8" -> (float) (spec.min() + spec.scale() * (weightData[base + i] & 0xFF));
        case "uint16" -> (float) (spec.min() + spec.scale() * (bytes.getShort(base + 2 * i)
            & 0xFFFF));
        default -> bytes.getFloat(base + 4 * i);
      };
    }
    return values;
  }

  /** Returns the Keras shape of one weight. */
  public int[] weightShape(String name) {
    WeightSpec spec = specsByName.get(name);
    if (spec == null) {
      throw invalid("weight '" + name + "' is missing from the weights manifest");
    }
    return spec.shape();
  }

  private long lastEnd() {
    WeightSpec last = weightSpecs.get(weightSpecs.size() - 1);
    return last.offset() + (long) last.size() * last.bytesPerValue();
  }

  private static JsonNode parseUmdExport(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Matcher matcher = UMD_EXPORT.matcher(text);
    if (!matcher.find()) {
      throw new IllegalArgumentException(file + ": no '.exports = <literal>' found; expected a"
          + " tfjs model bundled as a UMD module, as nsfwjs ships it");
    }
    return JsLiteralParser.parse(text, matcher.end(), file.toString()).value();
  }

  private static byte[] readShards(Path modelDir, Path modelFile, JsonNode modelJson)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode group : require(modelJson, "weightsManifest", modelFile)) {
      for (JsonNode pathNode : require(group, "paths", modelFile)) {
        String shard = pathNode.asText();
        if (shard.contains("/") || shard.contains("\\")) {
          throw new IllegalArgumentException(modelFile + ": shard path '" + shard
              + "' leaves the model folder; only plain file names are supported");
        }
        Path binary = modelDir.resolve(shard);
        Path bundled = modelDir.resolve(shard + ".min.js");
        if (Files.isRegularFile(binary)) {
          out.write(Files.readAllBytes(binary));
        } else if (Files.isRegularFile(bundled)) {
          JsonNode base64 = parseUmdExport(bundled);
          if (!base64.isTextual()) {
            throw new IllegalArgumentException(bundled + ": expected a base64 string export");
          }
          out.write(Base64.getDecoder().decode(base64.asText()));
        } else {
          throw new IOException("weight shard '" + shard + "' named in " + modelFile
              + " not found: neither " + binary + " nor " + bundled + " exists");
        }
      }
    }
    return out.toByteArray();
  }

  private List<KerasLayer> parseLayers(JsonNode layersNode) {
    List<KerasLayer> parsed = new ArrayList<>();
    for (JsonNode layer : layersNode) {
      String name = require(layer, "name").asText();
      String className = require(layer, "class_name").asText();
      JsonNode nodes = require(layer, "inbound_nodes");
      if (nodes.size() > 1) {
        throw invalid("layer '" + name + "' is shared (called " + nodes.size()
            + " times); shared layers are not supported");
      }
      List<String> inbound = new ArrayList<>();
      if (nodes.size() == 1) {
        for (JsonNode edge : nodes.get(0)) {
          if (edge.get(1).asInt() != 0 || edge.get(2).asInt() != 0) {
            throw invalid("layer '" + name + "' reads node " + edge.get(1) + ", tensor "
                + edge.get(2) + " of '" + edge.get(0).asText()
                + "'; only single-output, unshared layers are supported");
          }
          inbound.add(edge.get(0).asText());
        }
      }
      parsed.add(new KerasLayer(name, className, require(layer, "config"), inbound));
    }
    return List.copyOf(parsed);
  }

  private List<String> parseOutputLayers(JsonNode outputs) {
    List<String> names = new ArrayList<>();
    for (JsonNode output : outputs) {
      names.add(output.get(0).asText());
    }
    return List.copyOf(names);
  }

  private List<WeightSpec> parseManifest(JsonNode manifest) {
    List<WeightSpec> specs = new ArrayList<>();
    long offset = 0;
    for (JsonNode group : manifest) {
      for (JsonNode weight : require(group, "weights")) {
        String name = require(weight, "name").asText();
        JsonNode shapeNode = require(weight, "shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asInt();
        }
        String dtype = require(weight, "dtype").asText();
        if (!dtype.equals("float32")) {
          throw invalid("weight '" + name + "' has dtype " + dtype + "; only float32 is supported");
        }
        double min = 0;
        double scale = 1;
        JsonNode quantization = weight.get("quantization");
        if (quantization != null && !quantization.isNull()) {
          dtype = require(quantization, "dtype").asText();
          if (!dtype.equals("uint8") && !dtype.equals("uint16")) {
            throw invalid("weight '" + name + "' is quantized as " + dtype
                + "; only uint8 and uint16 quantization are supported");
          }
          min = require(quantization, "min").asDouble();
          scale = require(quantization, "scale").asDouble();
        }
        WeightSpec spec = new WeightSpec(name, shape, dtype, min, scale, offset);
        offset += (long) spec.size() * spec.bytesPerValue();
        specs.add(spec);
      }
    }
    return List.copyOf(specs);
  }

  private JsonNode require(JsonNode node, String key) {
    return require(node, key, modelFile);
  }

  private static JsonNode require(JsonNode node, String key, Path file) {
    JsonNode value = node.get(key);
    if (value == null) {
      throw new IllegalArgumentException(file + ": key '" + key + "' is missing");
    }
    return value;
  }

  private IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(modelFile + ": " + message);
  }
}
