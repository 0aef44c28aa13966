package org.flawmap.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.flawmap.model.Calibration;
import org.flawmap.model.ModelType;
import org.flawmap.model.ModelTypes;
import org.flawmap.report.AtomicFiles;

/**
 * Reads and writes model files: a ZIP archive with the model's arrays, the backbone's ONNX
 * graph and descriptor, and {@code manifest.json} (format name and version, model type and
 * settings, backbone identity, calibration, provenance, and the SHA-256 of every other entry). Writing is atomic, so a crash never leaves a half-written model file.
 */
public final class ModelFile {

  public static final String FORMAT = "flawmap-model";
  public static final int FORMAT_VERSION = 1;
  static final String MANIFEST = "manifest.json";
  static final String BACKBONE_ONNX = "backbone/model.onnx";
  static final String BACKBONE_DESCRIPTOR = "backbone/backbone.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  public static void write(Path file, ModelBundle bundle) throws IOException {
    ModelCodec codec = codecFor(bundle.model().type(), file);
    AtomicFiles.write(file, out -> writeTo(new BufferedOutputStream(out, 1 << 20), bundle, codec));
  }

  private static void writeTo(OutputStream out, ModelBundle bundle, ModelCodec codec)
      throws IOException {
    ModelArchive.Writer writer = new ModelArchive.Writer(out);
    ObjectNode config = JSON.createObjectNode();
    codec.write(bundle.model(), config, writer);
    writer.putBytes(BACKBONE_ONNX, bundle.backboneOnnx());
    writer.putBytes(BACKBONE_DESCRIPTOR, bundle.backboneDescriptor());

    // The manifest goes last because it carries the checksums of the entries before it.
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("format_version", FORMAT_VERSION);
    manifest.put("model_type", codec.type());
    manifest.set("model_config", config);
    manifest.set("backbone", JSON.valueToTree(bundle.model().backbone()));
    manifest.set("calibration", JSON.valueToTree(bundle.calibration()));
    ObjectNode input = manifest.putObject("input");
    input.put("mode", bundle.inputMode().id());
    input.put("width", bundle.model().backbone().inputWidth());
    input.put("height", bundle.model().backbone().inputHeight());
    if (bundle.input().tiled()) {
      input.put("tile_scale", bundle.input().tileScale());
      input.put("tile_overlap", bundle.input().tileOverlap());
    }
    manifest.set("provenance", bundle.provenance());
    manifest.set("entries", JSON.valueToTree(writer.checksums()));
    writer.putBytes(MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    writer.zip().finish();
    out.flush();
  }

  public static ModelBundle read(Path file) throws IOException {
    Map<String, byte[]> entries = readEntries(file);
    byte[] manifestBytes = entries.get(MANIFEST);
    if (manifestBytes == null) {
      throw new ModelFileException(
          "%s is not a flawmap model file (no %s); pass a file written by flawmap fit"
              .formatted(file, MANIFEST));
    }
    JsonNode manifest;
    try {
      manifest = JSON.readTree(manifestBytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFileException(
          "model file %s: manifest.json is not valid JSON (%s); fit the model again"
              .formatted(file, e.getOriginalMessage()),
          e);
    }
    checkFormat(file, manifest);
    for (String key : new String[] {"model_config", "backbone", "calibration", "provenance"}) {
      if (!manifest.path(key).isObject()) {
        throw new ModelFileException(
            "model file %s: manifest.json has no object '%s'; the file is damaged, fit the model"
                    .formatted(file, key)
                + " again");
      }
    }

    Map<String, String> checksums = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = manifest.path("entries").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      checksums.put(e.getKey(), e.getValue().asText());
    }
    ModelArchive.Reader reader = new ModelArchive.Reader(file, entries, checksums);

    try {
      ModelCodec codec = codecFor(manifest.path("model_type").asText(), file);
      BackboneInfo backbone = JSON.treeToValue(manifest.get("backbone"), BackboneInfo.class);
      Calibration calibration =
          JSON.treeToValue(manifest.get("calibration"), Calibration.class);
      return new ModelBundle(
          codec.read(manifest.get("model_config"), backbone, reader),
          calibration,
          reader.bytes(BACKBONE_ONNX),
          reader.bytes(BACKBONE_DESCRIPTOR),
          (ObjectNode) manifest.get("provenance"),
          input(manifest));
    } catch (IllegalArgumentException
        | NullPointerException
        | ClassCastException
        | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFileException(
          "model file %s has an invalid manifest (%s); fit the model again"
              .formatted(file, e.getMessage()),
          e);
    }
  }

  /**
   * Returns the recorded input settings. Files written before the mode was recorded read as
   * resize; a tile-mode file must record its tile scale and overlap, because the defaults may
   * change.
   */
  private static InputSettings input(JsonNode manifest) {
    JsonNode input = manifest.path("input");
    JsonNode mode = input.path("mode");
    if (mode.isMissingNode()) {
      return InputSettings.RESIZE;
    }
    InputMode parsed = InputMode.parse(mode.asText());
    if (parsed != InputMode.TILE) {
      return InputSettings.of(parsed);
    }
    JsonNode scale = input.path("tile_scale");
    JsonNode overlap = input.path("tile_overlap");
    if (!scale.isNumber() || !overlap.isIntegralNumber()) {
      throw new IllegalArgumentException(
          "input mode tile needs a number input.tile_scale and an integer input.tile_overlap,"
              + " found " + scale + " and " + overlap);
    }
    return InputSettings.tile(scale.asDouble(), overlap.asInt());
  }

  /** Reads only the manifest, for commands that describe a model without loading it. */
  public static JsonNode readManifest(Path file) throws IOException {
    byte[] bytes = readEntries(file).get(MANIFEST);
    if (bytes == null) {
      throw new ModelFileException("%s is not a flawmap model file".formatted(file));
    }
    return JSON.readTree(bytes);
  }

  private static void checkFormat(Path file, JsonNode manifest) {
    if (!FORMAT.equals(manifest.path("format").asText())) {
      throw new ModelFileException(
          "%s is not a flawmap model file (format '%s'); pass a file written by flawmap fit"
              .formatted(file, manifest.path("format").asText()));
    }
    int version = manifest.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      String writer = manifest.path("provenance").path("flawmap_version").asText("unknown");
      throw new ModelFileException(
          ("model file %s uses format version %d (written by flawmap %s), but this flawmap reads"
                  + " version %d; fit the model again with this version or use the one that"
                  + " wrote it")
              .formatted(file, version, writer, FORMAT_VERSION));
    }
  }

  /**
   * Rejects a folder given as a model file. Reading a folder (with ZipFile or as bytes) fails
   * with a bare "Is a directory" that names no path, so callers that read the file's bytes
   * before {@link #read} call this first.
   *
   * @throws ModelFileException if {@code file} is a folder
   */
  public static void requireNotFolder(Path file) {
    if (java.nio.file.Files.isDirectory(file)) {
      throw new ModelFileException(
          "model file %s is a folder, not a model file; name the .flawmap file".formatted(file));
    }
  }

  private static Map<String, byte[]> readEntries(Path file) throws IOException {
    requireNotFolder(file);
    if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isReadable(file)) {
      throw new ModelFileException(
          "model file %s cannot be read (permission denied); fix its permissions".formatted(file));
    }
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        try (InputStream in = zip.getInputStream(entry)) {
          entries.put(entry.getName(), in.readAllBytes());
        }
      }
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ModelFileException(
          "model file %s not found; check the path or run flawmap fit first".formatted(file), e);
    } catch (ZipException | java.io.EOFException e) {
      throw new ModelFileException(
          "model file %s is damaged or truncated (%s); copy it again or fit the model again"
              .formatted(file, e.getMessage()),
          e);
    }
    return entries;
  }

  private static ModelCodec codecFor(String type, Path file) {
    ModelType known = ModelTypes.all().get(type);
    if (known == null) {
      throw new ModelFileException(
          ("model file %s has model type '%s', which this flawmap cannot load (known: %s); the"
                  + " trainable models need the flawmap-djl module on the class path")
              .formatted(file, type, ModelTypes.all().keySet()));
    }
    return known.codec();
  }
}
