package org.flawmap.backbone.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the two-stage model of {@link TinyOnnxModel} and checks values, shapes, batching,
 * concurrency and the load-time checks.
 */
class OnnxFeatureExtractorTest {

  private static final int SIZE = TinyOnnxModel.SIZE;

  @TempDir
  Path dir;

  private BackboneDescriptor writeBackbone(List<StageInfo> stages) throws Exception {
    byte[] model = TinyOnnxModel.build();
    Files.write(dir.resolve("model.onnx"), model);
    BackboneDescriptor descriptor = new BackboneDescriptor("tiny", "model.onnx",
        Checksums.sha256Hex(model), SIZE, SIZE, "NCHW", "image", new float[] {0, 0, 0},
        new float[] {1, 1, 1}, stages, "built by the test");
    descriptor.write(dir.resolve(BackboneDescriptor.FILE_NAME));
    return descriptor;
  }

  private BackboneDescriptor writeBackbone() throws Exception {
    return writeBackbone(List.of(new StageInfo("stage_a", 4, 2), new StageInfo("stage_b", 4, 4)));
  }

  @Test
  void constantImagesGiveClosedFormValues() throws Exception {
    writeBackbone();
    float[] v = {0.2f, 0.5f, 0.9f};
    float[] image = new float[3 * SIZE * SIZE];
    for (int c = 0; c < 3; c++) {
      java.util.Arrays.fill(image, c * SIZE * SIZE, (c + 1) * SIZE * SIZE, v[c]);
    }

    FeatureMap[] maps;
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(dir, 1)) {
      maps = extractor.extract(List.of(image)).get(0);
    }

    // Output channel o sums a 2 x 2 window of input channel o % 3, times (o + 1), plus 0.5 * o.
    for (int o = 0; o < 4; o++) {
      double expected = (o + 1) * 4 * v[o % 3] + 0.5 * o;
      assertEquals(expected, maps[0].get(o, 1, 2), 1e-5, "stage_a channel " + o);
      assertEquals(expected, maps[1].get(o, 0, 1), 1e-5, "stage_b channel " + o);
    }
  }

  @Test
  void batchMatchesHandComputation() throws Exception {
    writeBackbone();
    Random random = new Random(11);
    List<float[]> images = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      float[] image = new float[3 * SIZE * SIZE];
      for (int i = 0; i < image.length; i++) {
        image[i] = random.nextFloat();
      }
      images.add(image);
    }

    List<FeatureMap[]> maps;
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(dir, 2)) {
      maps = extractor.extract(images);
    }

    assertEquals(3, maps.size());
    for (int b = 0; b < 3; b++) {
      FeatureMap a = maps.get(b)[0];
      FeatureMap pooled = maps.get(b)[1];
      assertEquals(4, a.channels());
      assertEquals(4, a.height());
      assertEquals(4, a.width());
      assertEquals(2, a.stride());
      assertEquals(2, pooled.height());
      assertEquals(4, pooled.stride());
      double[] expectedA = TinyOnnxModel.stageA(images.get(b));
      for (int i = 0; i < expectedA.length; i++) {
        assertEquals(expectedA[i], a.data()[i], 1e-5, "image " + b + " stage_a value " + i);
      }
      for (int o = 0; o < 4; o++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 2; x++) {
            double mean = (a.get(o, 2 * y, 2 * x) + a.get(o, 2 * y, 2 * x + 1)
                + a.get(o, 2 * y + 1, 2 * x) + a.get(o, 2 * y + 1, 2 * x + 1)) / 4;
            assertEquals(mean, pooled.get(o, y, x), 1e-5, "image " + b + " stage_b");
          }
        }
      }
    }
  }

  @Test
  void concurrentExtractsAgree() throws Exception {
    BackboneDescriptor descriptor = writeBackbone();
    float[] image = new float[3 * SIZE * SIZE];
    for (int i = 0; i < image.length; i++) {
      image[i] = (i % 17) / 17f;
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.fromBytes(
        Files.readAllBytes(dir.resolve("model.onnx")), descriptor, 1)) {
      float[] expected = extractor.extract(List.of(image)).get(0)[1].data();
      List<Future<float[]>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        results.add(pool.submit(() -> extractor.extract(List.of(image, image)).get(1)[1].data()));
      }
      for (Future<float[]> result : results) {
        assertArrayEquals(expected, result.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void fixedBatchGraphRunsInParts() throws Exception {
    BackboneDescriptor variable = writeBackbone();
    byte[] fixed = TinyOnnxModel.build(true);
    BackboneDescriptor descriptor = variable.withSha256(Checksums.sha256Hex(fixed));
    Random random = new Random(5);
    List<float[]> images = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      float[] image = new float[3 * SIZE * SIZE];
      for (int i = 0; i < image.length; i++) {
        image[i] = random.nextFloat();
      }
      images.add(image);
    }

    List<FeatureMap[]> maps;
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.fromBytes(fixed, descriptor, 1)) {
      maps = extractor.extract(images);
    }

    assertEquals(3, maps.size());
    for (int b = 0; b < 3; b++) {
      double[] expected = TinyOnnxModel.stageA(images.get(b));
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], maps.get(b)[0].data()[i], 1e-5, "image " + b + " value " + i);
      }
    }
  }

  @Test
  void emptyBatchReturnsEmptyList() throws Exception {
    writeBackbone();
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(dir, 1)) {
      assertTrue(extractor.extract(List.of()).isEmpty());
    }
  }

  @Test
  void wrongInputLengthIsRejected() throws Exception {
    writeBackbone();
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(dir, 1)) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> extractor.extract(List.of(new float[10])));
      assertTrue(error.getMessage().contains("expected 3 x 8 x 8 = 192"), error.getMessage());
    }
  }

  @Test
  void closedExtractorRejectsRuns() throws Exception {
    writeBackbone();
    OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(dir, 1);
    extractor.close();

    assertThrows(IllegalStateException.class,
        () -> extractor.extract(List.of(new float[3 * SIZE * SIZE])));
  }

  @Test
  void wrongChannelCountNamesStageAndFile() throws Exception {
    writeBackbone(List.of(new StageInfo("stage_a", 5, 2), new StageInfo("stage_b", 4, 4)));

    BackboneException error =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));

    assertTrue(error.getMessage().contains(dir.resolve("model.onnx").toString()),
        error.getMessage());
    assertTrue(error.getMessage().contains("output 'stage_a' has shape [-1, 4, 4, 4]"),
        error.getMessage());
    assertTrue(error.getMessage().contains("declares 5 channels"), error.getMessage());
  }

  @Test
  void wrongStrideNamesStage() throws Exception {
    writeBackbone(List.of(new StageInfo("stage_a", 4, 2), new StageInfo("stage_b", 4, 8)));

    BackboneException error =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));

    assertTrue(error.getMessage().contains("output 'stage_b' has shape [1, 4, 2, 2]"),
        error.getMessage());
    assertTrue(error.getMessage().contains("at stride 8"), error.getMessage());
  }

  @Test
  void missingStageOutputListsOutputs() throws Exception {
    writeBackbone(List.of(new StageInfo("stage_c", 4, 2)));

    BackboneException error =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));

    assertTrue(error.getMessage().contains("stage 'stage_c' is not a graph output"),
        error.getMessage());
    assertTrue(error.getMessage().contains("stage_a"), error.getMessage());
  }

  @Test
  void checksumMismatchNamesFileAndFix() throws Exception {
    BackboneDescriptor descriptor = writeBackbone();
    descriptor.withSha256("0".repeat(64)).write(dir.resolve(BackboneDescriptor.FILE_NAME));

    BackboneException error =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));

    assertTrue(error.getMessage().startsWith(dir.resolve("model.onnx") + ": SHA-256 is "
        + descriptor.sha256()), error.getMessage());
    assertTrue(error.getMessage().contains("expects " + "0".repeat(64)), error.getMessage());
    assertTrue(error.getMessage().contains("write its checksum into 'sha256'"),
        error.getMessage());
  }

  @Test
  void descriptorMissingKeyNamesKeyAndFile() throws Exception {
    writeBackbone();
    Path file = dir.resolve(BackboneDescriptor.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace("\"source\"", "\"origin\""));

    BackboneException error =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));

    assertTrue(error.getMessage().startsWith(file + ": key 'source' is missing"),
        error.getMessage());
  }

  @Test
  void missingFilesAreReported() throws Exception {
    BackboneException noDescriptor =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));
    assertTrue(noDescriptor.getMessage().contains("backbone.json not found"),
        noDescriptor.getMessage());

    writeBackbone();
    Files.delete(dir.resolve("model.onnx"));
    BackboneException noModel =
        assertThrows(BackboneException.class, () -> OnnxFeatureExtractor.open(dir, 1));
    assertTrue(noModel.getMessage().contains("model.onnx not found"), noModel.getMessage());
  }

  @Test
  void wrongInputNameIsReported() throws Exception {
    byte[] model = TinyOnnxModel.build();
    BackboneDescriptor descriptor = new BackboneDescriptor("tiny", "model.onnx",
        Checksums.sha256Hex(model), SIZE, SIZE, "NCHW", "pixels", new float[] {0, 0, 0},
        new float[] {1, 1, 1}, List.of(new StageInfo("stage_a", 4, 2)), "test");

    BackboneException error = assertThrows(BackboneException.class,
        () -> OnnxFeatureExtractor.fromBytes(model, descriptor, 1));

    assertTrue(error.getMessage().contains("graph inputs are [image]"), error.getMessage());
  }

  @Test
  void zeroThreadsAreRejected() throws Exception {
    writeBackbone();

    assertThrows(IllegalArgumentException.class, () -> OnnxFeatureExtractor.open(dir, 0));
  }
}
