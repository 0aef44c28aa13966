package org.flawmap.djl.reconstruction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.train.TrainingLoop;
import org.flawmap.metrics.ImageMetrics;
import org.flawmap.model.Calibration;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fits the feature autoencoder once on {@link SyntheticFeatures} and checks what it learned. */
class FeatureAutoencoderTest {

  private static final SyntheticFeatures DATA = new SyntheticFeatures();
  private static final int TRAIN_IMAGES = 24;

  private static final int EPOCHS = 15;

  private static FeatureAutoencoderModel model;

  @BeforeAll
  static void fit() {
    FeatureAutoencoderFitter fitter =
        new FeatureAutoencoderFitter(SyntheticFeatures.BACKBONE, tinyOptions(EPOCHS, 8, 1e-2));
    for (int i = 0; i < TRAIN_IMAGES; i++) {
      fitter.add(DATA.image(i, false));
    }
    for (int i = 0; i < 4; i++) {
      fitter.addValidation(DATA.image(1000 + i, false), false);
    }
    fitter.addValidation(DATA.image(2000, true), true);
    model = fitter.fit();
  }

  static ReconstructionOptions tinyOptions(int epochs, int batchSize, double learningRate) {
    return new ReconstructionOptions(
        8, 16, 3, 2.0, epochs, batchSize, learningRate, 0, 0, null, 42L);
  }

  @Test
  void defectPixelsRankAboveNormal() {
    List<Double> scores = new ArrayList<>();
    List<Boolean> truth = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean defect = i < 3;
      AnomalyMap map = model.anomalyMap(DATA.image(3000 + i, defect));
      assertEquals(SyntheticFeatures.SIZE, map.width());
      assertEquals(SyntheticFeatures.SIZE, map.height());
      for (int y = 0; y < map.height(); y++) {
        for (int x = 0; x < map.width(); x++) {
          scores.add((double) map.get(x, y));
          truth.add(
              defect && SyntheticFeatures.inDefect(x + 0.5) && SyntheticFeatures.inDefect(y + 0.5));
        }
      }
    }

    double[] scoreArray = scores.stream().mapToDouble(Double::doubleValue).toArray();
    boolean[] truthArray = new boolean[truth.size()];
    for (int i = 0; i < truthArray.length; i++) {
      truthArray[i] = truth.get(i);
    }
    double auroc = ImageMetrics.auroc(scoreArray, truthArray).value();
    assertTrue(auroc > 0.9, "pixel AUROC " + auroc);
  }

  @Test
  void defectCellsReconstructWorse() {
    AnomalyMap errors = model.errorGrid(DATA.image(4000, true));
    double inside = 0;
    double outside = 0;
    int insideCells = 0;
    for (int y = 0; y < errors.height(); y++) {
      for (int x = 0; x < errors.width(); x++) {
        boolean defect =
            SyntheticFeatures.inDefect((x + 0.5) * 8) && SyntheticFeatures.inDefect((y + 0.5) * 8);
        if (defect) {
          inside += errors.get(x, y);
          insideCells++;
        } else {
          outside += errors.get(x, y);
        }
      }
    }
    double insideMean = inside / insideCells;
    double outsideMean = outside / (errors.width() * errors.height() - insideCells);

    // A bottleneck of 3 channels out of 24 cannot pass the shift through.
    assertEquals(4, insideCells);
    assertTrue(insideMean > 5 * outsideMean, insideMean + " vs " + outsideMean);
  }

  @Test
  void trainingLowersEpochLoss() {
    List<Double> losses = model.training().trainLoss();
    assertEquals(EPOCHS, losses.size());
    assertTrue(losses.get(EPOCHS - 1) < losses.get(0) / 2, losses.toString());
  }

  @Test
  void oneAdamStepLowersLoss() throws Exception {
    FeatureAutoencoderFitter fitter =
        new FeatureAutoencoderFitter(SyntheticFeatures.BACKBONE, tinyOptions(1, 16, 1e-2));
    for (int i = 0; i < 16; i++) {
      fitter.add(DATA.image(i, false));
    }
    fitter.normaliseGrids();
    int[] all = new int[16];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }

    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      TorchEngine.get().setRandomSeed(3);
      Block block = fitter.newBlock(manager);
      double before = loss(fitter, block, manager, all);
      // One epoch with one batch of all 16 images is exactly one Adam step.
      new TrainingLoop("feature-ae", block, manager, tinyOptions(1, 16, 1e-2).training())
          .run(16, fitter.objective(block), "test");
      double after = loss(fitter, block, manager, all);

      assertTrue(after < before, after + " is not below " + before);
    }
  }

  private static double loss(
      FeatureAutoencoderFitter fitter, Block block, NDManager manager, int[] batch) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray loss = fitter.objective(block).loss(scratch, batch);
      return loss.getFloat();
    }
  }

  @Test
  void saveAndLoadGiveIdenticalMaps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.flawmap");
    Calibration calibration = new Calibration(1.0, 1.0, "iou-curve", 0.0, 2.0);
    ModelFile.write(
        file,
        new ModelBundle(
            model, calibration, new byte[] {1}, new byte[] {2},
            JsonNodeFactory.instance.objectNode()));

    FeatureAutoencoderModel loaded = (FeatureAutoencoderModel) ModelFile.read(file).model();

    for (int i = 0; i < 2; i++) {
      FeatureMap[] image = DATA.image(5000 + i, i == 0);
      assertArrayEquals(model.anomalyMap(image).values(), loaded.anomalyMap(image).values());
    }
    assertEquals(model.trainingImages(), loaded.trainingImages());
    assertEquals(model.training().trainLoss(), loaded.training().trainLoss());
    assertEquals(model.options(), loaded.options());
  }

  @Test
  void mapSameAloneOrAmongOthers() throws Exception {
    List<FeatureMap[]> images = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.add(DATA.image(6000 + i, i % 2 == 0));
    }
    float[] alone = model.anomalyMap(images.get(0)).values();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> maps = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (FeatureMap[] image : images) {
          maps.add(pool.submit(() -> model.score(image).map().values()));
        }
      }
      for (int k = 0; k < maps.size(); k++) {
        float[] expected = model.anomalyMap(images.get(k % images.size())).values();
        assertArrayEquals(expected, maps.get(k).get(), "image " + (k % images.size()));
      }
      assertArrayEquals(alone, maps.get(0).get());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void imageScoreIsMapMaximum() {
    FeatureMap[] image = DATA.image(7000, true);
    var scores = model.score(image);
    assertEquals(scores.map().max(), scores.imageScore());
  }

  @Test
  void defaultsComeFromType() {
    ReconstructionOptions options =
        FeatureAutoencoderType.options(ModelParameters.empty(), 42L);
    assertEquals(ReconstructionOptions.DEFAULTS, options);
  }
}
