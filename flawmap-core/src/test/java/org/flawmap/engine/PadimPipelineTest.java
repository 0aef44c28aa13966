package org.flawmap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.dataset.LoadedSample;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.metrics.MetricsGroup;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.io.ModelFileException;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.testing.LocalStatsExtractor;
import org.flawmap.testing.TinyDatasets;
import org.flawmap.threshold.ThresholdEstimators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fit, calibrate, evaluate and store PaDiM on a synthetic dataset with painted defects. */
class PadimPipelineTest {

  @TempDir static Path tmp;
  static Path root;
  static FitJob.Result fit;
  static final LocalStatsExtractor EXTRACTOR = new LocalStatsExtractor();

  @BeforeAll
  static void fitOnce() throws Exception {
    root =
        TinyDatasets.writeMvtec(
            tmp,
            TinyDatasets.Options.defaults().withCounts(24, 6, 5).withSize(64, 64).withSeed(3));
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    fit =
        FitJob.fitPadim(
            session, EXTRACTOR, "onnx".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8), new PadimOptions(10, 0.01, 2.0, 5L),
            ThresholdEstimators.byName(ThresholdEstimators.IOU_CURVE), "test");
  }

  private static GroupedMetrics evaluate(AnomalyModel model) throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    var c = fit.bundle().calibration();
    return EvaluateJob.evaluate(
            session, session.split().test(), EXTRACTOR, model, c,
            List.of(new EvaluateJob.Thresholds("model", (float) c.pixelThreshold(),
                c.imageThreshold())),
            EvaluateJob::defectTypeGroup, null)
        .get("model");
  }

  @Test
  void defectPixelsRankAboveNormal() throws Exception {
    MetricsGroup all = evaluate(fit.bundle().model()).group(GroupedMetrics.ALL);
    double pixelAuroc = all.pixel().auroc().value();
    double imageAuroc = all.image().auroc().value();
    assertTrue(pixelAuroc > 0.9, "pixel AUROC " + pixelAuroc);
    assertTrue(imageAuroc > 0.9, "image AUROC " + imageAuroc);
    assertTrue(all.inference().meanImageIou().value() > 0.2,
        "mean IoU " + all.inference().meanImageIou());
  }

  @Test
  void validationAndTestAreDisjoint() throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    List<String> test = session.split().test().stream().map(s -> s.id()).toList();
    for (String id : session.split().validationIds()) {
      assertTrue(!test.contains(id), id + " is in both validation and test");
    }
    assertTrue(!session.split().validationIds().isEmpty());
    assertEquals(
        session.split().validationIds(),
        toList(fit.bundle().provenance().path("split").path("validation_ids")));
  }

  private static List<String> toList(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void saveAndLoadGiveIdenticalMaps() throws Exception {
    Path file = tmp.resolve("model.flawmap");
    ModelFile.write(file, fit.bundle());
    ModelBundle loaded = ModelFile.read(file);
    assertEquals(fit.bundle().calibration(), loaded.calibration());
    assertArrayEquals(fit.bundle().backboneOnnx(), loaded.backboneOnnx());

    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    LoadedSample sample = session.loader().load(session.split().test().get(0)).orElseThrow();
    float[] input =
        org.flawmap.image.Resizer.toInput(sample.image(), 64, 64, new float[3],
            new float[] {1, 1, 1});
    FeatureMap[] features = EXTRACTOR.extract(List.of(input)).get(0);
    assertArrayEquals(
        fit.bundle().model().anomalyMap(features).values(),
        loaded.model().anomalyMap(features).values());
  }

  @Test
  void damagedModelFileIsRejected() throws IOException {
    Path file = tmp.resolve("damaged.flawmap");
    ModelFile.write(file, fit.bundle());
    byte[] bytes = Files.readAllBytes(file);
    // Flip one byte inside the first (stored, uncompressed) array entry.
    bytes[200] ^= 0x5a;
    Files.write(file, bytes);
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void truncatedModelFileIsRejected() throws IOException {
    Path file = tmp.resolve("truncated.flawmap");
    ModelFile.write(file, fit.bundle());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
    assertTrue(e.getMessage().contains("damaged or truncated"), e.getMessage());
  }

  @Test
  void otherFormatVersionIsRejected() throws IOException {
    var provenance = fit.bundle().provenance().deepCopy();
    provenance.put("flawmap_version", "9.9");
    Path file = tmp.resolve("future.flawmap");
    ModelFile.write(file, new ModelBundle(fit.bundle().model(), fit.bundle().calibration(),
        fit.bundle().backboneOnnx(), fit.bundle().backboneDescriptor(), provenance));
    Path rewritten = tmp.resolve("future2.flawmap");
    ModelFileTestSupport.rewriteManifest(file, rewritten, "\"format_version\" : 1",
        "\"format_version\" : 2");
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.read(rewritten));
    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    assertTrue(e.getMessage().contains("9.9"), e.getMessage());
  }

  @Test
  void notAModelFileIsRejected() throws IOException {
    Path file = tmp.resolve("notes.txt");
    Files.writeString(file, "hello");
    assertThrows(ModelFileException.class, () -> ModelFile.read(file));
    assertThrows(ModelFileException.class, () -> ModelFile.read(tmp.resolve("missing.flawmap")));
  }
}
