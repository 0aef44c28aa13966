package org.flawmap.djl.fcdd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.metrics.ImageMetrics;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fits FCDD once on synthetic features and checks what the fitted model does. */
class FcddModelTest {

  private static final SyntheticFeatures DATA = new SyntheticFeatures();
  private static final double DEFECT_RADIUS = 12;
  private static FcddModel model;
  private static final List<SyntheticFeatures.Image> TEST = new ArrayList<>();

  @BeforeAll
  static void fit() {
    FcddOptions options =
        new FcddOptions(10, 8, 3e-3, 0, 0, null, 2.0, 16, 8, 0.5, 8, 32, 5L);
    FcddFitter fitter = new FcddFitter(SyntheticFeatures.BACKBONE, options);
    for (int i = 0; i < 40; i++) {
      fitter.add(DATA.image(1000 + i, 0).features());
    }
    for (int i = 0; i < 8; i++) {
      fitter.addValidation(DATA.image(2000 + i, 0).features(), false);
    }
    fitter.addValidation(DATA.image(2100, DEFECT_RADIUS).features(), true);
    model = fitter.fit();

    for (int i = 0; i < 6; i++) {
      TEST.add(DATA.image(3000 + i, DEFECT_RADIUS));
    }
    for (int i = 0; i < 4; i++) {
      TEST.add(DATA.image(4000 + i, 0));
    }
  }

  @Test
  void defectivePixelsRankAboveNormalOnes() {
    int pixels = SyntheticFeatures.SIZE * SyntheticFeatures.SIZE;
    double[] scores = new double[TEST.size() * pixels];
    boolean[] truth = new boolean[scores.length];
    for (int i = 0; i < TEST.size(); i++) {
      float[] map = model.anomalyMap(TEST.get(i).features()).values();
      for (int p = 0; p < pixels; p++) {
        scores[i * pixels + p] = map[p];
        truth[i * pixels + p] = TEST.get(i).mask()[p];
      }
    }

    double auroc = ImageMetrics.auroc(scores, truth).value();

    assertTrue(auroc > 0.9, "pixel AUROC of the painted disks is " + auroc);
  }

  @Test
  void mapHasInputResolution() {
    AnomalyMap map = model.anomalyMap(TEST.get(0).features());

    assertEquals(SyntheticFeatures.SIZE, map.width());
    assertEquals(SyntheticFeatures.SIZE, map.height());
  }

  @Test
  void trainingRecordsItsRun() {
    FcddTraining training = model.training();

    assertEquals(40, training.trainingImages());
    assertEquals(8, training.validationImages());
    assertEquals(10, training.epochs());
    assertTrue(Double.isFinite(training.bestValidation()));
  }

  @Test
  void savedModelGivesIdenticalMaps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fcdd.zip");
    ModelBundle bundle =
        new ModelBundle(
            model, new Calibration(1, 1, "f1", 0, 2), new byte[] {1, 2},
            "{}".getBytes(StandardCharsets.UTF_8), JsonNodeFactory.instance.objectNode());

    ModelFile.write(file, bundle);
    AnomalyModel loaded = ModelFile.read(file).model();

    assertEquals("fcdd", loaded.type());
    for (SyntheticFeatures.Image image : TEST) {
      assertArrayEquals(
          model.anomalyMap(image.features()).values(),
          loaded.anomalyMap(image.features()).values());
    }
  }

  @Test
  void mapIsSameAloneAndAmongThreads() throws Exception {
    List<float[]> alone = new ArrayList<>();
    for (SyntheticFeatures.Image image : TEST) {
      alone.add(model.anomalyMap(image.features()).values());
    }

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> parallel = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (SyntheticFeatures.Image image : TEST) {
          parallel.add(pool.submit(() -> model.score(image.features()).map().values()));
        }
      }
      for (int k = 0; k < parallel.size(); k++) {
        assertArrayEquals(alone.get(k % TEST.size()), parallel.get(k).get(), "image " + k);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void imageScoreIsMaximumOfMap() {
    SyntheticFeatures.Image image = TEST.get(0);

    double score = model.score(image.features()).imageScore();

    assertEquals(model.anomalyMap(image.features()).max(), score, 0.0);
  }
}
