package org.flawmap.backbone.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.StageInfo;

/**
 * The {@code backbone.json} file that sits next to an ONNX backbone and states how to feed it and
 * which outputs are its feature stages.
 *
 * <pre>{@code
 * {
 *   "id": "mobilenet_v2_nsfwjs",
 *   "onnx": "model.onnx",
 *   "sha256": "<64 hex digits of model.onnx>",
 *   "input": {"width": 224, "height": 224, "layout": "NCHW", "name": "input"},
 *   "mean": [0.0, 0.0, 0.0],
 *   "std": [1.0, 1.0, 1.0],
 *   "stages": [{"name": "block_2_add", "channels": 24, "stride": 4}, ...],
 *   "source": "free text: origin, licence, conversion"
 * }
 * }</pre>
 *
 * <p>Every key is required and no other key is allowed, so a typo fails instead of being
 * ignored. {@code id} uses letters, digits, '.', '_' and '-'. {@code onnx} is a file name in the
 * descriptor's folder. {@code input} is a float tensor {@code [batch, 3, height, width]} (only
 * NCHW is supported) of RGB values scaled to [0, 1] and then normalised as
 * {@code (x - mean[c]) / std[c]}. {@code stages} are graph output names, finest first (strides
 * non-decreasing); each output is {@code [batch, channels, height / stride, width / stride]},
 * with the division rounded either way.
 *
 * @param id short identifier of the backbone
 * @param onnx ONNX file name, relative to the descriptor's folder
 * @param sha256 lower-case hex SHA-256 of the ONNX file
 * @param inputWidth input width in pixels
 * @param inputHeight input height in pixels
 * @param layout input layout, always {@code NCHW}
 * @param inputName name of the ONNX graph input
 * @param mean per-channel mean (R, G, B) on the [0, 1] scale
 * @param std per-channel standard deviation (R, G, B), each positive
 * @param stages feature outputs, finest first
 * @param source origin and licence of the weights, free text
 */
public record BackboneDescriptor(
    String id,
    String onnx,
    String sha256,
    int inputWidth,
    int inputHeight,
    String layout,
    String inputName,
    float[] mean,
    float[] std,
    List<StageInfo> stages,
    String source) {

  /** File name of the descriptor inside a backbone folder. */
  public static final String FILE_NAME = "backbone.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Validates every field; the message names the field but no file, see {@link #parse}. */
  public BackboneDescriptor {
    mean = Objects.requireNonNull(mean, "mean").clone();
    std = Objects.requireNonNull(std, "std").clone();
    stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
    sha256 = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
    DescriptorValidator.validate(id, onnx, sha256, inputWidth, inputHeight, layout, inputName,
        mean, std, stages, source);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** Compares all fields, the mean and std arrays by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof BackboneDescriptor that
        && id.equals(that.id) && onnx.equals(that.onnx) && sha256.equals(that.sha256)
        && inputWidth == that.inputWidth && inputHeight == that.inputHeight
        && layout.equals(that.layout) && inputName.equals(that.inputName)
        && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std)
        && stages.equals(that.stages) && source.equals(that.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, onnx, sha256, inputWidth, inputHeight, layout, inputName,
        Arrays.hashCode(mean), Arrays.hashCode(std), stages, source);
  }

  /**
   * Reads and validates a descriptor file.
   *
   * @throws IOException if the file cannot be read
   * @throws BackboneException if a key is missing, unknown or invalid; the message names the key
   *     and the file
   */
  public static BackboneDescriptor read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    return parse(json, file.toString());
  }

  /**
   * Parses and validates descriptor JSON.
   *
   * @param sourceName file name or other origin, used in error messages
   * @throws BackboneException if the JSON is malformed or a key is missing, unknown or invalid
   */
  public static BackboneDescriptor parse(String json, String sourceName) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BackboneException(
          sourceName + ": invalid JSON: " + e.getOriginalMessage() + "; fix the file");
    }
    return DescriptorValidator.fromJson(root, sourceName);
  }

  /** Returns the same descriptor with another checksum, for writing after an export. */
  public BackboneDescriptor withSha256(String newSha256) {
    return new BackboneDescriptor(id, onnx, newSha256, inputWidth, inputHeight, layout, inputName,
        mean, std, stages, source);
  }

  /** Returns the shared backbone contract that models store to detect a swapped backbone. */
  public BackboneInfo toInfo() {
    return new BackboneInfo(id, sha256, inputWidth, inputHeight, mean, std, stages);
  }

  /** Returns the descriptor as indented JSON with keys in schema order and a final newline. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("onnx", onnx);
    root.put("sha256", sha256);
    ObjectNode input = root.putObject("input");
    input.put("width", inputWidth);
    input.put("height", inputHeight);
    input.put("layout", layout);
    input.put("name", inputName);
    ArrayNode meanNode = root.putArray("mean");
    ArrayNode stdNode = root.putArray("std");
    for (int c = 0; c < 3; c++) {
      meanNode.add(mean[c]);
      stdNode.add(std[c]);
    }
    ArrayNode stageNodes = root.putArray("stages");
    for (StageInfo stage : stages) {
      stageNodes.addObject()
          .put("name", stage.name())
          .put("channels", stage.channels())
          .put("stride", stage.stride());
    }
    root.put("source", source);
    try {
      return JSON.writeValueAsString(root).replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("descriptor JSON could not be written", e);
    }
  }

  /** Writes {@link #toJson()} to {@code file} as UTF-8. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }
}
