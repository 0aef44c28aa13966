package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.Checksums;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts the real nsfwjs MobileNetV2 and checks the ONNX model against {@link KerasReference}.
 * Skipped when the npm package is not extracted under {@code build/npm/nsfwjs/package}.
 */
class NsfwjsMobileNetImporterTest {

  private static final int SIZE = 224;

  /** ONNX (float32) and the double reference differed by at most 7e-7 on these images. */
  private static final double PROBABILITY_TOLERANCE = 1e-5;

  /**
   * Stage values reach about 40, so the bound is absolute plus relative to the reference value;
   * the worst case measured used 0.6 of it.
   */
  private static final double FEATURE_ABSOLUTE = 1e-4;
  private static final double FEATURE_RELATIVE = 1e-4;

  @TempDir
  static Path output;

  private static Path modelDir;
  private static NsfwjsMobileNetImporter.ImportResult imported;

  @BeforeAll
  static void importOnce() throws IOException {
    Path packageDir = Path.of(System.getProperty("flawmap.home", "."))
        .resolve("build/npm/nsfwjs/package");
    modelDir = packageDir.resolve(NsfwjsMobileNetImporter.MODEL_PATH);
    Assumptions.assumeTrue(Files.isRegularFile(modelDir.resolve("model.min.js")),
        "nsfwjs package not found at " + packageDir + "; extract it with: mkdir -p"
            + " build/npm/nsfwjs && tar xzf nsfwjs-4.4.0.tgz -C build/npm/nsfwjs");
    imported = NsfwjsMobileNetImporter.importPackage(packageDir, output.resolve("first"));
  }

  @Test
  void importWritesMatchingDescriptor() throws IOException {
    BackboneDescriptor descriptor = BackboneDescriptor.read(imported.descriptorFile());

    assertEquals("mobilenet_v2_nsfwjs", descriptor.id());
    assertEquals("model.onnx", descriptor.onnx());
    assertEquals(Checksums.sha256Hex(Files.readAllBytes(imported.onnxFile())),
        descriptor.sha256());
    assertEquals(224, descriptor.inputWidth());
    assertEquals(224, descriptor.inputHeight());
    assertEquals("input", descriptor.inputName());
    assertArrayEquals(new float[] {0, 0, 0}, descriptor.mean());
    assertArrayEquals(new float[] {1, 1, 1}, descriptor.std());
    assertEquals(List.of(new StageInfo("block_2_add", 24, 4), new StageInfo("block_5_add", 32, 8),
        new StageInfo("block_12_add", 96, 16)), descriptor.stages());
    assertTrue(descriptor.source().contains("nsfwjs 4.4.0 (MIT licence)"), descriptor.source());
  }

  @Test
  void importIsDeterministicAndIdempotent() throws IOException {
    byte[] onnx = Files.readAllBytes(imported.onnxFile());
    byte[] json = Files.readAllBytes(imported.descriptorFile());

    NsfwjsMobileNetImporter.ImportResult second =
        NsfwjsMobileNetImporter.importModel(modelDir, output.resolve("second"));
    assertTrue(second.changed());
    assertArrayEquals(onnx, Files.readAllBytes(second.onnxFile()));
    assertArrayEquals(json, Files.readAllBytes(second.descriptorFile()));

    NsfwjsMobileNetImporter.ImportResult again =
        NsfwjsMobileNetImporter.importModel(modelDir, output.resolve("second"));
    assertFalse(again.changed());

    Files.writeString(second.descriptorFile(), "{}");
    NsfwjsMobileNetImporter.ImportResult repaired =
        NsfwjsMobileNetImporter.importModel(modelDir, output.resolve("second"));
    assertTrue(repaired.changed());
    assertArrayEquals(json, Files.readAllBytes(repaired.descriptorFile()));
  }

  @Test
  void onnxMatchesKerasReference() throws Exception {
    List<TestImages.Image> images = new ArrayList<>();
    images.add(TestImages.synthetic("gradient", SIZE, (x, y, c) -> (x + y + 40.0 * c) / 528));
    images.add(TestImages.synthetic("checkerboard", SIZE,
        (x, y, c) -> ((x / 8 + y / 8) % 2 == 0) ? 0.9 - 0.3 * c : 0.1 + 0.2 * c));
    images.add(TestImages.synthetic("rings", SIZE,
        (x, y, c) -> 0.5 + 0.5 * Math.sin(Math.hypot(x - 100, y - 120) / (4.0 + c))));
    images.addAll(TestImages.realImages(SIZE, "good", "blowhole", "crack"));

    float[][] onnxProbabilities = runProbabilities(images);
    List<FeatureMap[]> features;
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(output.resolve("first"), 2)) {
      features = extractor.extract(images.stream().map(TestImages.Image::chw).toList());
    }

    KerasReference reference = new KerasReference(TfjsLayersModel.read(modelDir));
    Set<String> requested = Set.of("block_2_add", "block_5_add", "block_12_add", "dense_3");
    for (int i = 0; i < images.size(); i++) {
      TestImages.Image image = images.get(i);
      Map<String, KerasReference.Tensor> expected =
          reference.run(image.hwc(), SIZE, SIZE, requested);
      double[] probabilities = expected.get("dense_3").data();
      double maxDifference = 0;
      for (int k = 0; k < probabilities.length; k++) {
        maxDifference = Math.max(maxDifference,
            Math.abs(probabilities[k] - onnxProbabilities[i][k]));
      }
      System.out.printf("%s: reference %s, max |onnx - reference| = %.2e%n", image.name(),
          java.util.Arrays.toString(probabilities), maxDifference);
      assertTrue(maxDifference <= PROBABILITY_TOLERANCE,
          image.name() + ": probabilities differ by " + maxDifference);
      for (int s = 0; s < NsfwjsMobileNetImporter.STAGES.size(); s++) {
        String stage = NsfwjsMobileNetImporter.STAGES.get(s).name();
        assertStageMatches(image.name() + " " + stage, expected.get(stage), features.get(i)[s]);
      }
    }
  }

  /**
   * Compares with outputs of @tensorflow/tfjs 4.22.0 (CPU backend in Node.js) on the pattern
   * {@code ((7x + 13y + 29c) mod 256) / 255}, printed by scripts/tfjs_reference_outputs.js.
   */
  @Test
  void matchesTensorflowJsOutputs() throws Exception {
    TestImages.Image pattern = TestImages.synthetic("pattern", SIZE,
        (x, y, c) -> ((x * 7 + y * 13 + c * 29) % 256) / 255.0);
    double[] tfjsProbabilities = {0.007933289743959904, 0.0006592092686332762,
        0.9911110401153564, 0.0002724771620705724, 0.00002398694232397247};
    double[] tfjsBlock2AddFirstPixel = {6.981191635131836, 5.233376502990723,
        5.896993637084961, -0.3360879421234131, -7.366875648498535};

    float[] probabilities = runProbabilities(List.of(pattern))[0];
    FeatureMap block2;
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(output.resolve("first"), 1)) {
      block2 = extractor.extract(List.of(pattern.chw())).get(0)[0];
    }

    for (int k = 0; k < 5; k++) {
      assertEquals(tfjsProbabilities[k], probabilities[k], 1e-5, "probability " + k);
      assertEquals(tfjsBlock2AddFirstPixel[k], block2.get(k, 0, 0), 1e-3, "block_2_add c=" + k);
    }
  }

  private static float[][] runProbabilities(List<TestImages.Image> images) throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    FloatBuffer batch = FloatBuffer.allocate(images.size() * 3 * SIZE * SIZE);
    images.forEach(image -> batch.put(image.chw()));
    batch.rewind();
    float[][] probabilities = new float[images.size()][5];
    try (OrtSession session = environment.createSession(imported.onnxFile().toString(),
            new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(environment, batch,
            new long[] {images.size(), 3, SIZE, SIZE});
        OrtSession.Result result = session.run(Map.of("input", input), Set.of("probabilities"))) {
      FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
      for (float[] row : probabilities) {
        values.get(row);
      }
    }
    return probabilities;
  }

  /** Elementwise check of a CHW map against the NHWC reference. */
  private static void assertStageMatches(String what, KerasReference.Tensor expected,
      FeatureMap actual) {
    int[] shape = expected.shape();
    assertEquals(shape[2], actual.channels(), what + " channels");
    assertEquals(shape[0], actual.height(), what + " height");
    assertEquals(shape[1], actual.width(), what + " width");
    double worst = 0;
    for (int y = 0; y < shape[0]; y++) {
      for (int x = 0; x < shape[1]; x++) {
        for (int c = 0; c < shape[2]; c++) {
          double reference = expected.at(y, x, c);
          double difference = Math.abs(actual.get(c, y, x) - reference);
          worst = Math.max(worst, difference / (FEATURE_ABSOLUTE
              + FEATURE_RELATIVE * Math.abs(reference)));
          if (difference > FEATURE_ABSOLUTE + FEATURE_RELATIVE * Math.abs(reference)) {
            throw new AssertionError("%s at (c=%d, y=%d, x=%d): onnx %.6f, reference %.6f"
                .formatted(what, c, y, x, actual.get(c, y, x), reference));
          }
        }
      }
    }
    System.out.printf("%s: worst difference is %.3f of the tolerance%n", what, worst);
  }
}
