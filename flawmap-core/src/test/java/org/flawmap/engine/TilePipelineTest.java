package org.flawmap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.FeatureCache;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.flawmap.inference.Inspector;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.metrics.MetricsGroup;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.io.ModelFileException;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.testing.LocalStatsExtractor;
import org.flawmap.testing.TinyDatasets;
import org.flawmap.threshold.ThresholdEstimators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PaDiM fitted, calibrated and tested in tile mode on 112 × 80 images, which tile mode cuts
 * into 2 × 2 tiles of the 64 × 64 stand-in backbone with an overlap of 16.
 */
class TilePipelineTest {

  @TempDir static Path tmp;
  static Path root;
  static FitJob.Result fit;
  static final LocalStatsExtractor EXTRACTOR = new LocalStatsExtractor();
  static final InputSettings TILES = InputSettings.tile(1.0, 16);

  @BeforeAll
  static void fitOnce() throws Exception {
    root =
        TinyDatasets.writeMvtec(
            tmp,
            TinyDatasets.Options.defaults().withCounts(12, 6, 5).withSize(112, 80).withSeed(4));
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInput(TILES);
    fit =
        FitJob.fitPadim(
            session, EXTRACTOR, "onnx".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8), new PadimOptions(10, 0.01, 2.0, 5L),
            ThresholdEstimators.byName(ThresholdEstimators.IOU_CURVE), "test");
  }

  @Test
  void fitCountsTilesAsSamples() {
    var dataset = fit.bundle().provenance().path("dataset");

    assertEquals(12, dataset.path("train_images").asInt());
    assertEquals(48, dataset.path("train_inputs").asInt());
  }

  @Test
  void validationReachesTrainableFittersPerTile() throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInput(TILES);
    PadimFitter padim = new PadimFitter(EXTRACTOR.info(), new PadimOptions(10, 0.01, 2.0, 5L));
    int[] validationTiles = {0};
    ModelFitter early =
        new ModelFitter() {
          @Override
          public String type() {
            return padim.type();
          }

          @Override
          public void add(FeatureMap[] features) {
            padim.add(features);
          }

          @Override
          public int count() {
            return padim.count();
          }

          @Override
          public boolean usesValidation() {
            return true;
          }

          @Override
          public void addValidation(FeatureMap[] features, boolean anomalous) {
            validationTiles[0]++;
          }

          @Override
          public AnomalyModel fit() {
            return padim.fit();
          }
        };

    FitJob.Result result =
        FitJob.fit(
            session, EXTRACTOR, new byte[0], new byte[0], early,
            ThresholdEstimators.byName(ThresholdEstimators.IOU_CURVE), "test");

    // Each 112 × 80 validation image is cut into 2 × 2 tiles.
    assertEquals(4 * session.split().validation().size(), validationTiles[0]);
    assertEquals(48, result.bundle().provenance().path("dataset").path("train_inputs").asInt());
  }

  @Test
  void tileModeFindsDefectsAtImageResolution() throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInput(TILES);
    var c = fit.bundle().calibration();
    List<String> problems = new ArrayList<>();
    MetricsGroup all =
        EvaluateJob.evaluate(
                session, session.split().test(), EXTRACTOR, fit.bundle().model(), c,
                List.of(new EvaluateJob.Thresholds("model", (float) c.pixelThreshold(),
                    c.imageThreshold())),
                EvaluateJob::defectTypeGroup,
                (loaded, inspection) -> {
                  AnomalyMap map = inspection.anomalyMap();
                  if (map.width() != 112 || map.height() != 80) {
                    problems.add(loaded.sample().id() + " map " + map.width() + "×"
                        + map.height());
                  }
                  if (loaded.mask() != null
                      && loaded.mask().pixels().length != map.values().length) {
                    problems.add(loaded.sample().id() + " mask size differs");
                  }
                })
            .get("model")
            .group(GroupedMetrics.ALL);

    assertEquals(List.of(), problems);
    assertTrue(all.pixel().auroc().value() > 0.9, "pixel AUROC " + all.pixel().auroc());
    assertTrue(all.image().auroc().value() > 0.9, "image AUROC " + all.image().auroc());
  }

  @Test
  void modelFileKeepsTileSettings() throws Exception {
    Path file = tmp.resolve("tile.flawmap");
    ModelFile.write(file, fit.bundle());
    ModelBundle loaded = ModelFile.read(file);
    var input = ModelFile.readManifest(file).path("input");

    assertEquals(TILES, fit.bundle().input());
    assertEquals(TILES, loaded.input());
    assertEquals("tile", input.path("mode").asText());
    assertEquals(1.0, input.path("tile_scale").asDouble());
    assertEquals(16, input.path("tile_overlap").asInt());
    List<AnomalyMap> before = testMaps(fit.bundle());
    List<AnomalyMap> after = testMaps(loaded);
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).values(), after.get(i).values(), "test image " + i);
    }
  }

  @Test
  void tileManifestWithoutSettingsRejected() throws Exception {
    Path file = tmp.resolve("tile-new.flawmap");
    Path damaged = tmp.resolve("tile-damaged.flawmap");
    ModelFile.write(file, fit.bundle());
    ModelFileTestSupport.rewriteManifest(file, damaged, "\"tile_overlap\" :", "\"other\" :");

    var e = assertThrows(ModelFileException.class, () -> ModelFile.read(damaged));
    assertTrue(e.getMessage().contains("tile_overlap"), e.getMessage());
  }

  @Test
  void resizeManifestHasNoTileFields() throws Exception {
    ModelBundle bundle = fit.bundle();
    ModelBundle resize =
        new ModelBundle(bundle.model(), bundle.calibration(), bundle.backboneOnnx(),
            bundle.backboneDescriptor(), bundle.provenance(), InputMode.RESIZE);
    Path file = tmp.resolve("resize.flawmap");
    ModelFile.write(file, resize);
    var input = ModelFile.readManifest(file).path("input");

    assertEquals("resize", input.path("mode").asText());
    assertFalse(input.has("tile_scale"));
    assertEquals(InputSettings.RESIZE, ModelFile.read(file).input());
  }

  @Test
  void featureCacheSeparatesModes() throws Exception {
    Path cacheDir = tmp.resolve("cache");
    FeatureCache cache = new FeatureCache(cacheDir, EXTRACTOR.info());
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useFeatureCache(cache);
    var samples = session.dataset().train().subList(0, 3);
    List<FeatureMap[]> resize = new ArrayList<>();
    session.stream("resize", samples, EXTRACTOR, (s, f) -> resize.add(f));
    session.useInput(TILES);
    List<List<FeatureMap[]>> tiles = new ArrayList<>();
    session.streamImages("tile", samples, EXTRACTOR, (s, f) -> tiles.add(f));
    // An overlap of 40 starts tile columns at 0, 24 and 48 and tile rows at 0 and 16.
    session.useInput(InputSettings.tile(1.0, 40));
    List<List<FeatureMap[]>> otherOverlap = new ArrayList<>();
    session.streamImages("tile", samples, EXTRACTOR, (s, f) -> otherOverlap.add(f));
    List<List<FeatureMap[]>> again = new ArrayList<>();
    session.useInput(TILES);
    session.streamImages("tile", samples, EXTRACTOR, (s, f) -> again.add(f));

    // 3 resize files, 3 × 4 tile files for an overlap of 16 and 3 × 6 for 40.
    try (Stream<Path> files = Files.list(cacheDir)) {
      assertEquals(3 + 12 + 18, files.count());
    }
    assertEquals(4, tiles.get(0).size());
    assertEquals(6, otherOverlap.get(0).size());
    assertFalse(java.util.Arrays.equals(resize.get(0)[0].data(), tiles.get(0).get(0)[0].data()));
    assertFalse(java.util.Arrays.equals(
        tiles.get(0).get(1)[0].data(), otherOverlap.get(0).get(1)[0].data()));
    for (int i = 0; i < 3; i++) {
      for (int t = 0; t < 4; t++) {
        assertArrayEquals(tiles.get(i).get(t)[0].data(), again.get(i).get(t)[0].data());
      }
    }
  }

  @Test
  void singleInputStreamRejectsTileMode() throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInput(TILES);

    var e = assertThrows(IllegalStateException.class, () -> session.stream(
        "test", session.split().test(), EXTRACTOR, (s, f) -> {}));
    assertTrue(e.getMessage().contains("streamImages"), e.getMessage());
  }

  /** Returns the test maps of {@code bundle} at image resolution, in test order. */
  private static List<AnomalyMap> testMaps(ModelBundle bundle) throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInput(bundle.input());
    Inspector inspector = new Inspector(bundle.model(), bundle.calibration(), bundle.input());
    List<AnomalyMap> maps = new ArrayList<>();
    session.streamImages(
        "test", session.split().test(), EXTRACTOR,
        (loaded, features) -> maps.add(inspector.inspect(loaded.image(), features).anomalyMap()));
    return maps;
  }
}
