package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flawmap.backbone.StageInfo;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the MobileNetV2 of the nsfwjs npm package (MIT licence) into the default flawmap
 * backbone: {@code model.onnx} plus {@code backbone.json}, id {@value #BACKBONE_ID}.
 *
 * <p>The package's {@code dist/models/mobilenet_v2} contains a Keras 2.2.4 MobileNetV2 for RGB
 * input in [0, 1] at 224 × 224 with uint8-quantized weights and a 5-class head. The ONNX model
 * takes {@code input [batch, 3, 224, 224]} and has four outputs: the stages {@code block_2_add}
 * (24 channels, stride 4), {@code block_5_add} (32, stride 8), {@code block_12_add} (96, stride
 * 16), and {@code probabilities [batch, 5]}, the softmax of Keras layer {@code dense_3} over
 * {@link #CLASS_NAMES}. The descriptor has mean 0 and std 1, because the network expects the
 * [0, 1] scale as it is.
 *
 * <p>The conversion is deterministic: the same package gives the same bytes. Files whose bytes
 * would not change are left untouched.
 */
public final class NsfwjsMobileNetImporter {

  /** Descriptor id of the converted backbone. */
  public static final String BACKBONE_ID = "mobilenet_v2_nsfwjs";

  /** Name of the ONNX graph input. */
  public static final String INPUT_NAME = "input";

  /** Name of the classifier output, the softmax of Keras layer {@value #CLASSIFIER_LAYER}. */
  public static final String CLASSIFIER_OUTPUT = "probabilities";

  /** Keras layer that ends the classifier head. */
  public static final String CLASSIFIER_LAYER = "dense_3";

  /** Classes of {@value #CLASSIFIER_OUTPUT} in order, as nsfwjs lists them. */
  public static final List<String> CLASS_NAMES =
      List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");

  /** Feature stages, finest first, as the converter must find them in the topology. */
  public static final List<StageInfo> STAGES = List.of(
      new StageInfo("block_2_add", 24, 4),
      new StageInfo("block_5_add", 32, 8),
      new StageInfo("block_12_add", 96, 16));

  /** Folder of the model inside the npm package. */
  public static final String MODEL_PATH = "dist/models/mobilenet_v2";

  private static final Logger LOG = LoggerFactory.getLogger(NsfwjsMobileNetImporter.class);
  private static final String ONNX_FILE = "model.onnx";

  private NsfwjsMobileNetImporter() {}

  /**
   * Files written by an import.
   *
   * @param onnxFile the ONNX model
   * @param descriptorFile its {@code backbone.json}
   * @param descriptor the descriptor as written
   * @param changed whether any file was created or rewritten; false when both already held the
   *     same bytes
   */
  public record ImportResult(Path onnxFile, Path descriptorFile, BackboneDescriptor descriptor,
      boolean changed) {}

  /**
   * Converts the model of an extracted npm package (the folder with {@code package.json}).
   *
   * @see #importModel(Path, Path)
   */
  public static ImportResult importPackage(Path packageDir, Path outputDir) throws IOException {
    return importModel(packageDir.resolve(MODEL_PATH), outputDir);
  }

  /**
   * Converts {@code model.min.js} and its shard in {@code modelDir} and writes {@code model.onnx}
   * and {@code backbone.json} into {@code outputDir}, which is created if needed.
   *
   * @throws IOException if a file cannot be read or written
   * @throws IllegalArgumentException if the files are not the expected tfjs model, or its stages
   *     differ from {@link #STAGES}
   */
  public static ImportResult importModel(Path modelDir, Path outputDir) throws IOException {
    TfjsLayersModel model = TfjsLayersModel.read(modelDir);
    LOG.info("Read {}: {} layers, {} weight tensors", model.modelFile(), model.layers().size(),
        model.weightSpecs().size());

    Map<String, String> outputs = new LinkedHashMap<>();
    for (StageInfo stage : STAGES) {
      outputs.put(stage.name(), stage.name());
    }
    outputs.put(CLASSIFIER_LAYER, CLASSIFIER_OUTPUT);
    String source = describeSource(modelDir, model);
    KerasOnnxConverter.Result converted = KerasOnnxConverter.convert(
        model, INPUT_NAME, outputs, BACKBONE_ID, source);
    int[] input = converted.inputShape();
    if (!Arrays.equals(input, new int[] {3, 224, 224})) {
      throw new IllegalArgumentException(model.modelFile() + ": input is "
          + Arrays.toString(input) + " (CHW), expected [3, 224, 224]");
    }
    checkStages(model, converted.outputShapes(), input);
    int[] classes = converted.outputShapes().get(CLASSIFIER_OUTPUT);
    if (!Arrays.equals(classes, new int[] {CLASS_NAMES.size()})) {
      throw new IllegalArgumentException(model.modelFile() + ": classifier output has shape "
          + Arrays.toString(classes) + ", expected [" + CLASS_NAMES.size() + "]");
    }

    byte[] onnxBytes = converted.model().toByteArray();
    BackboneDescriptor descriptor = new BackboneDescriptor(BACKBONE_ID, ONNX_FILE,
        Checksums.sha256Hex(onnxBytes), input[2], input[1], "NCHW", INPUT_NAME,
        new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f}, STAGES, source);
    Files.createDirectories(outputDir);
    Path onnxFile = outputDir.resolve(ONNX_FILE);
    Path descriptorFile = outputDir.resolve(BackboneDescriptor.FILE_NAME);
    boolean changed = writeIfDifferent(onnxFile, onnxBytes);
    changed |= writeIfDifferent(descriptorFile,
        descriptor.toJson().getBytes(StandardCharsets.UTF_8));
    LOG.info("{} {} ({} bytes, sha256 {}) and {}", changed ? "Wrote" : "Unchanged", onnxFile,
        onnxBytes.length, descriptor.sha256(), descriptorFile);
    return new ImportResult(onnxFile, descriptorFile, descriptor, changed);
  }

  private static void checkStages(TfjsLayersModel model, Map<String, int[]> shapes,
      int[] input) {
    List<StageInfo> found = new ArrayList<>();
    for (StageInfo stage : STAGES) {
      int[] chw = shapes.get(stage.name());
      int stride = chw.length == 3 && input[1] % chw[1] == 0 ? input[1] / chw[1] : -1;
      found.add(new StageInfo(stage.name(), chw.length == 3 ? chw[0] : -1, stride));
    }
    if (!found.equals(STAGES)) {
      throw new IllegalArgumentException(model.modelFile() + ": stages in the topology are "
          + found + ", expected " + STAGES + "; this is not the nsfwjs MobileNetV2");
    }
  }

  /** Describes the origin, licence and input files, so a descriptor can be traced back. */
  private static String describeSource(Path modelDir, TfjsLayersModel model) throws IOException {
    String packageName = "nsfwjs";
    String version = "unknown version";
    String licence = "MIT";
    Path packageJson = modelDir.resolve("../../../package.json").normalize();
    if (Files.isRegularFile(packageJson)) {
      JsonNode json = new ObjectMapper().readTree(packageJson.toFile());
      packageName = json.path("name").asText(packageName);
      version = json.path("version").asText(version);
      licence = json.path("license").asText(licence);
    }
    String keras = model.modelTopology().path("keras_version").asText("unknown");
    return "%s %s (%s licence), %s: Keras %s MobileNetV2 with a %d-class head (%s),"
        .formatted(packageName, version, licence, MODEL_PATH, keras, CLASS_NAMES.size(),
            String.join(", ", CLASS_NAMES))
        + " uint8-quantized weights; converted to ONNX opset " + OnnxGraphBuilder.OPSET
        + " by flawmap ImportNsfwjs; model file sha256 "
        + Checksums.sha256Hex(Files.readAllBytes(model.modelFile()))
        + ", weights sha256 " + Checksums.sha256Hex(model.weightData());
  }

  /** Writes through a temporary file and a rename, so readers never see half a file. */
  static boolean writeIfDifferent(Path file, byte[] bytes) throws IOException {
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return false;
    }
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temporary, bytes);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
