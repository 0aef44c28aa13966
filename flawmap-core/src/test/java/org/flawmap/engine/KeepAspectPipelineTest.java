package org.flawmap.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.InputGeometry;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.Inspector;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.metrics.MetricsGroup;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.testing.LocalStatsExtractor;
import org.flawmap.testing.TinyDatasets;
import org.flawmap.threshold.ThresholdEstimators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PaDiM in keep-aspect mode on tall 48 × 128 images: the 64 × 64 input of the stand-in
 * backbone contains a 24 × 64 image region at column 20, padded on both sides.
 */
class KeepAspectPipelineTest {

  @TempDir static Path tmp;
  static Path root;
  static FitJob.Result fit;
  static final LocalStatsExtractor EXTRACTOR = new LocalStatsExtractor();

  @BeforeAll
  static void fitOnce() throws Exception {
    root =
        TinyDatasets.writeMvtec(
            tmp,
            TinyDatasets.Options.defaults().withCounts(24, 6, 5).withSize(48, 128).withSeed(3));
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInputMode(InputMode.KEEP_ASPECT);
    fit =
        FitJob.fitPadim(
            session, EXTRACTOR, "onnx".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8), new PadimOptions(10, 0.01, 2.0, 5L),
            ThresholdEstimators.byName(ThresholdEstimators.IOU_CURVE), "test");
  }

  /** Returns the test maps at image resolution, in test order. */
  private static List<AnomalyMap> testMaps(AnomalyModel model, InputMode mode)
      throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInputMode(mode);
    Inspector inspector = new Inspector(model, fit.bundle().calibration(), mode);
    List<AnomalyMap> maps = new ArrayList<>();
    session.stream(
        "test", session.split().test(), EXTRACTOR,
        (loaded, features) -> maps.add(inspector.inspect(loaded.image(), features).anomalyMap()));
    return maps;
  }

  @Test
  void keepAspectFindsDefects() throws Exception {
    DatasetSession session = DatasetSession.open(root, RunOptions.DEFAULTS);
    session.useInputMode(InputMode.KEEP_ASPECT);
    var c = fit.bundle().calibration();
    MetricsGroup all =
        EvaluateJob.evaluate(
                session, session.split().test(), EXTRACTOR, fit.bundle().model(), c,
                List.of(new EvaluateJob.Thresholds("model", (float) c.pixelThreshold(),
                    c.imageThreshold())),
                EvaluateJob::defectTypeGroup, null)
            .get("model")
            .group(GroupedMetrics.ALL);

    assertTrue(all.pixel().auroc().value() > 0.9, "pixel AUROC " + all.pixel().auroc());
    assertTrue(all.image().auroc().value() > 0.9, "image AUROC " + all.image().auroc());
  }

  @Test
  void modelFileKeepsModeAndMaps() throws Exception {
    Path file = tmp.resolve("keep.flawmap");
    ModelFile.write(file, fit.bundle());
    ModelBundle loaded = ModelFile.read(file);

    assertEquals(InputMode.KEEP_ASPECT, fit.bundle().inputMode());
    assertEquals(InputMode.KEEP_ASPECT, loaded.inputMode());
    assertEquals("keep-aspect", ModelFile.readManifest(file).path("input").path("mode").asText());
    List<AnomalyMap> before = testMaps(fit.bundle().model(), fit.bundle().inputMode());
    List<AnomalyMap> after = testMaps(loaded.model(), loaded.inputMode());
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(48, after.get(i).width());
      assertEquals(128, after.get(i).height());
      assertArrayEquals(before.get(i).values(), after.get(i).values(), "test image " + i);
    }
  }

  @Test
  void manifestWithoutInputIsResize() throws Exception {
    Path file = tmp.resolve("new.flawmap");
    Path old = tmp.resolve("old.flawmap");
    ModelFile.write(file, fit.bundle());
    ModelFileTestSupport.rewriteManifest(file, old, "\"input\" :", "\"not_input\" :");

    assertTrue(ModelFile.readManifest(old).path("input").isMissingNode());
    assertEquals(InputMode.RESIZE, ModelFile.read(old).inputMode());
  }

  @Test
  void borderDefectFoundInPlace() throws Exception {
    InputGeometry geometry = InputGeometry.of(InputMode.KEEP_ASPECT, EXTRACTOR.info());
    PadimFitter fitter = new PadimFitter(EXTRACTOR.info(), new PadimOptions(10, 0.01, 2.0, 5L));
    Random random = new Random(9);
    for (int i = 0; i < 20; i++) {
      fitter.add(features(geometry, noise(random)));
    }
    AnomalyModel model = fitter.fit();

    // A bright 6 × 12 square touching the left border, rows 60 to 71.
    RgbImage image = noise(random);
    for (int y = 60; y < 72; y++) {
      for (int x = 0; x < 6; x++) {
        for (int c = 0; c < 3; c++) {
          image.rgb()[3 * (y * 48 + x) + c] = (byte) 255;
        }
      }
    }
    AnomalyMap map =
        Inspector.scoreAtImage(model, InputMode.KEEP_ASPECT, image, features(geometry, image))
            .map();

    assertEquals(48, map.width());
    assertEquals(128, map.height());
    int best = 0;
    for (int i = 1; i < map.values().length; i++) {
      if (map.values()[i] > map.values()[best]) {
        best = i;
      }
    }
    int bx = best % 48;
    int by = best / 48;
    // Tolerance: one 4-pixel cell of the stand-in backbone is 8 image pixels here.
    assertTrue(bx < 6 + 8, "maximum at x = " + bx);
    assertTrue(by >= 60 - 8, "maximum at y = " + by);
    assertTrue(by < 72 + 8, "maximum at y = " + by);
  }

  private static FeatureMap[] features(InputGeometry geometry, RgbImage image) {
    return EXTRACTOR.extract(List.of(geometry.toInput(image))).get(0);
  }

  /** Returns a 48 × 128 gray image with independent noise of ±8 around 128. */
  private static RgbImage noise(Random random) {
    byte[] rgb = new byte[3 * 48 * 128];
    for (int p = 0; p < 48 * 128; p++) {
      byte v = (byte) (120 + random.nextInt(17));
      rgb[3 * p] = v;
      rgb[3 * p + 1] = v;
      rgb[3 * p + 2] = v;
    }
    return new RgbImage(48, 128, rgb);
  }
}
