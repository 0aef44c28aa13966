package org.flawmap.backbone.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.flawmap.backbone.StageInfo;

/** Reads {@code backbone.json} trees and checks the fields of a {@link BackboneDescriptor}. */
final class DescriptorValidator {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> ROOT_KEYS =
      List.of("id", "onnx", "sha256", "input", "mean", "std", "stages", "source");
  private static final List<String> INPUT_KEYS = List.of("width", "height", "layout", "name");
  private static final List<String> STAGE_KEYS = List.of("name", "channels", "stride");

  private DescriptorValidator() {}

  static BackboneDescriptor fromJson(JsonNode root, String file) {
    requireObject(root, "the top level", file);
    checkKeys(root, ROOT_KEYS, "", file);
    JsonNode input = root.get("input");
    requireObject(input, "key 'input'", file);
    checkKeys(input, INPUT_KEYS, "input.", file);

    JsonNode stagesNode = root.get("stages");
    if (!stagesNode.isArray()) {
      throw invalid(file, "key 'stages' must be an array of {name, channels, stride}");
    }
    List<StageInfo> stages = new ArrayList<>();
    for (int i = 0; i < stagesNode.size(); i++) {
      JsonNode stage = stagesNode.get(i);
      String prefix = "stages[" + i + "].";
      requireObject(stage, "key 'stages[" + i + "]'", file);
      checkKeys(stage, STAGE_KEYS, prefix, file);
      stages.add(new StageInfo(text(stage, "name", prefix, file),
          integer(stage, "channels", prefix, file), integer(stage, "stride", prefix, file)));
    }

    try {
      return new BackboneDescriptor(
          text(root, "id", "", file),
          text(root, "onnx", "", file),
          text(root, "sha256", "", file),
          integer(input, "width", "input.", file),
          integer(input, "height", "input.", file),
          text(input, "layout", "input.", file),
          text(input, "name", "input.", file),
          rgb(root, "mean", file),
          rgb(root, "std", file),
          stages,
          text(root, "source", "", file));
    } catch (BackboneException e) {
      throw new BackboneException(file + ": " + e.getMessage(), e);
    }
  }

  /** Checks the fields; messages name the key, the caller adds the file. */
  static void validate(String id, String onnx, String sha256, int width, int height,
      String layout, String inputName, float[] mean, float[] std, List<StageInfo> stages,
      String source) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new BackboneException("key 'id' = '" + id + "' must be non-empty and use only"
          + " letters, digits, '.', '_' and '-'");
    }
    if (onnx == null || onnx.isBlank() || onnx.contains("/") || onnx.contains("\\")
        || onnx.equals("..") || onnx.equals(".")) {
      throw new BackboneException("key 'onnx' = '" + onnx
          + "' must be a file name in the descriptor's folder, for example model.onnx");
    }
    if (!SHA256.matcher(sha256).matches()) {
      throw new BackboneException("key 'sha256' = '" + sha256 + "' must be 64 hex digits;"
          + " compute it with 'sha256sum " + onnx + "'");
    }
    if (width <= 0 || height <= 0) {
      throw new BackboneException("keys 'input.width' and 'input.height' must be positive,"
          + " found " + width + " x " + height);
    }
    if (!"NCHW".equals(layout)) {
      throw new BackboneException("key 'input.layout' = '" + layout
          + "' is not supported; export the model with an NCHW input and write \"NCHW\"");
    }
    if (inputName == null || inputName.isBlank()) {
      throw new BackboneException("key 'input.name' must name the ONNX graph input");
    }
    checkRgb("mean", mean, false);
    checkRgb("std", std, true);
    checkStages(stages);
    if (source == null || source.isBlank()) {
      throw new BackboneException("key 'source' must state where the weights come from and"
          + " their licence");
    }
  }

  private static void checkRgb(String key, float[] values, boolean positive) {
    if (values.length != 3) {
      throw new BackboneException("key '" + key + "' must have 3 values (R, G, B), found "
          + values.length);
    }
    for (float value : values) {
      if (!Float.isFinite(value) || (positive && value <= 0)) {
        throw new BackboneException("key '" + key + "' must hold finite"
            + (positive ? " positive" : "") + " numbers, found " + value);
      }
    }
  }

  private static void checkStages(List<StageInfo> stages) {
    if (stages.isEmpty()) {
      throw new BackboneException("key 'stages' must list at least one feature output");
    }
    Set<String> names = new HashSet<>();
    int previousStride = 0;
    for (int i = 0; i < stages.size(); i++) {
      StageInfo stage = stages.get(i);
      String key = "stages[" + i + "]";
      if (stage.name() == null || stage.name().isBlank()) {
        throw new BackboneException("key '" + key + ".name' must name an ONNX graph output");
      }
      if (!names.add(stage.name())) {
        throw new BackboneException("key '" + key + ".name' = '" + stage.name()
            + "' appears twice in 'stages'");
      }
      if (stage.channels() <= 0) {
        throw new BackboneException("key '" + key + ".channels' must be positive, found "
            + stage.channels());
      }
      if (stage.stride() <= 0) {
        throw new BackboneException("key '" + key + ".stride' must be positive, found "
            + stage.stride());
      }
      if (stage.stride() < previousStride) {
        throw new BackboneException("key '" + key + ".stride' = " + stage.stride()
            + " is smaller than the stride before it; list stages finest first");
      }
      previousStride = stage.stride();
    }
  }

  private static void checkKeys(JsonNode node, List<String> allowed, String prefix,
      String file) {
    for (String key : allowed) {
      if (!node.has(key) || node.get(key).isNull()) {
        throw invalid(file, "key '" + prefix + key + "' is missing");
      }
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw invalid(file, "key '" + prefix + key + "' is unknown; allowed keys"
            + (prefix.isEmpty() ? "" : " in '" + prefix.substring(0, prefix.length() - 1) + "'")
            + " are " + allowed);
      }
    }
  }

  private static void requireObject(JsonNode node, String description, String file) {
    if (node == null || !node.isObject()) {
      throw invalid(file, description + " must be a JSON object");
    }
  }

  private static String text(JsonNode node, String key, String prefix, String file) {
    JsonNode value = node.get(key);
    if (!value.isTextual()) {
      throw invalid(file, "key '" + prefix + key + "' must be a string, found " + value);
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String key, String prefix, String file) {
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid(file, "key '" + prefix + key + "' must be an integer, found " + value);
    }
    return value.asInt();
  }

  private static float[] rgb(JsonNode root, String key, String file) {
    JsonNode value = root.get(key);
    if (!value.isArray() || value.size() != 3) {
      throw invalid(file, "key '" + key + "' must be an array of 3 numbers (R, G, B), found "
          + value);
    }
    float[] values = new float[3];
    for (int c = 0; c < 3; c++) {
      if (!value.get(c).isNumber()) {
        throw invalid(file, "key '" + key + "[" + c + "]' must be a number, found "
            + value.get(c));
      }
      values[c] = (float) value.get(c).asDouble();
    }
    return values;
  }

  private static BackboneException invalid(String file, String message) {
    return new BackboneException(file + ": " + message);
  }
}
