package org.flawmap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.dataset.LoadedSample;
import org.flawmap.image.Resizer;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.metrics.MetricsGroup;
import org.flawmap.model.AnomalyScores;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.patchcore.PatchcoreModel;
import org.flawmap.model.patchcore.PatchcoreOptions;
import org.flawmap.testing.LocalStatsExtractor;
import org.flawmap.testing.TinyDatasets;
import org.flawmap.threshold.ThresholdEstimators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fit, calibrate, evaluate and store PatchCore on a synthetic dataset with painted defects.
 * {@link LocalStatsExtractor} has two stages (strides 4 and 8), so both are used: 16 × 16
 * patches of 12 channels per image, 6144 training patches.
 */
class PatchcorePipelineTest {

  /** A quarter of the patches as bank, selected on an 8-dimensional projection. */
  static final PatchcoreOptions OPTIONS =
      new PatchcoreOptions(List.of(0, 1), 1024, 0.25, 20_000, 200_000, 8, 9, 2.0, 5L);

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
        FitJob.fitPatchcore(
            session, EXTRACTOR, "onnx".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8), OPTIONS,
            ThresholdEstimators.byName(ThresholdEstimators.IOU_CURVE), "test");
  }

  private static GroupedMetrics evaluate(ModelBundle bundle) throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    var c = bundle.calibration();
    return EvaluateJob.evaluate(
            session, session.split().test(), EXTRACTOR, bundle.model(), c,
            List.of(new EvaluateJob.Thresholds("model", (float) c.pixelThreshold(),
                c.imageThreshold())),
            EvaluateJob::defectTypeGroup, null)
        .get("model");
  }

  private static FeatureMap[] firstTestFeatures() throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    LoadedSample sample = session.loader().load(session.split().test().get(0)).orElseThrow();
    int size = LocalStatsExtractor.SIZE;
    float[] input =
        Resizer.toInput(sample.image(), size, size, new float[3], new float[] {1, 1, 1});
    return EXTRACTOR.extract(List.of(input)).get(0);
  }

  @Test
  void defectPixelsRankAboveNormal() throws Exception {
    MetricsGroup all = evaluate(fit.bundle()).group(GroupedMetrics.ALL);
    double pixelAuroc = all.pixel().auroc().value();
    double imageAuroc = all.image().auroc().value();
    assertTrue(pixelAuroc > 0.9, "pixel AUROC " + pixelAuroc);
    assertTrue(imageAuroc > 0.9, "image AUROC " + imageAuroc);
  }

  @Test
  void bankFollowsTheRatio() {
    PatchcoreModel model = (PatchcoreModel) fit.bundle().model();
    assertEquals(24, model.trainingImages());
    assertEquals(24L * 16 * 16, model.trainingPatches());
    assertEquals(Math.round(0.25 * 24 * 16 * 16), model.bankSize());
    assertEquals(12, model.dimension());
    assertEquals(
        "patchcore", fit.bundle().model().type(), "the model file records the model type");
  }

  @Test
  void saveAndLoadGiveIdenticalScores() throws Exception {
    Path file = tmp.resolve("patchcore.flawmap");
    ModelFile.write(file, fit.bundle());
    ModelBundle loaded = ModelFile.read(file);
    assertEquals(fit.bundle().calibration(), loaded.calibration());
    PatchcoreModel original = (PatchcoreModel) fit.bundle().model();
    PatchcoreModel reread = (PatchcoreModel) loaded.model();
    assertEquals(original.options(), reread.options());
    assertArrayEquals(original.bank(), reread.bank());

    FeatureMap[] features = firstTestFeatures();
    AnomalyScores before = original.score(features);
    AnomalyScores after = reread.score(features);
    assertArrayEquals(before.map().values(), after.map().values());
    assertEquals(before.imageScore(), after.imageScore());
  }

  @Test
  void scoreDoesNotDependOnOtherImages() throws Exception {
    FeatureMap[] features = firstTestFeatures();
    PatchcoreModel model = (PatchcoreModel) fit.bundle().model();
    AnomalyScores alone = model.score(features);
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    List<float[]> batch = new java.util.ArrayList<>();
    for (var sample : session.split().test().subList(0, 4)) {
      LoadedSample loaded = session.loader().load(sample).orElseThrow();
      batch.add(Resizer.toInput(loaded.image(), 64, 64, new float[3], new float[] {1, 1, 1}));
    }
    AnomalyScores inBatch = model.score(EXTRACTOR.extract(batch).get(0));
    assertArrayEquals(alone.map().values(), inBatch.map().values());
    assertEquals(alone.imageScore(), inBatch.imageScore());
  }

  @Test
  void imageThresholdUsesTheReweightedScore() throws Exception {
    FeatureMap[] features = firstTestFeatures();
    PatchcoreModel model = (PatchcoreModel) fit.bundle().model();
    AnomalyScores scores = model.score(features);
    double gridMax = model.distanceGrid(features).max();
    // The weight lies in [1 - 1/b, 1), so the image score sits just below the grid maximum.
    assertTrue(scores.imageScore() < gridMax, scores.imageScore() + " vs " + gridMax);
    assertTrue(scores.imageScore() >= (1 - 1.0 / 9) * gridMax * (1 - 1e-6),
        scores.imageScore() + " vs " + gridMax);
  }
}
