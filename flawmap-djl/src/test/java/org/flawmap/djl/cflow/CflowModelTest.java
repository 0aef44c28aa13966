package org.flawmap.djl.cflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.flawmap.djl.train.TrainingResult;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelTypes;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fits CFLOW on synthetic features of a 32 × 32 input: stage 0 is 4 channels on 8 × 8 cells,
 * stage 1 is 6 channels on 4 × 4 cells. Normal features are smooth position-dependent waves
 * plus noise. A defect shifts the features of a 2 × 2 block of stage-0 cells (input pixels 8
 * to 15 in both axes) and of the stage-1 cell above it.
 */
class CflowModelTest {

  private static final int SIZE = 32;
  private static final BackboneInfo BACKBONE =
      new BackboneInfo(
          "synthetic", "none", SIZE, SIZE, new float[] {0, 0, 0}, new float[] {1, 1, 1},
          List.of(new StageInfo("fine", 4, 4), new StageInfo("coarse", 6, 8)));

  private static CflowFitter fitter;
  private static CflowModel model;

  @BeforeAll
  static void fitOnce() {
    fitter = (CflowFitter) new CflowType().fitter(BACKBONE, tinyOptions(), 3L);
    Random random = new Random(1);
    for (int i = 0; i < 24; i++) {
      fitter.add(image(random, false));
    }
    for (int i = 0; i < 4; i++) {
      fitter.addValidation(image(random, false), false);
      fitter.addValidation(image(random, true), true);
    }
    model = fitter.fit();
  }

  @Test
  void defectivePixelsRankAboveNormal() {
    double auroc = pixelAuroc(model, UnaryOperator.identity());
    assertTrue(auroc > 0.8, "pixel AUROC " + auroc);
  }

  /** Scores six images, every other one with the defect block, after {@code transform}. */
  private static double pixelAuroc(CflowModel scorer, UnaryOperator<FeatureMap[]> transform) {
    Random random = new Random(99);
    List<Float> defect = new ArrayList<>();
    List<Float> normal = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      float[] map = scorer.anomalyMap(transform.apply(image(random, i % 2 == 0))).values();
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          boolean inside = i % 2 == 0 && y >= 8 && y < 16 && x >= 8 && x < 16;
          (inside ? defect : normal).add(map[y * SIZE + x]);
        }
      }
    }
    return auroc(defect, normal);
  }

  @Test
  void largeFeatureMagnitudesTrainStably() {
    CflowFitter scaledFitter =
        (CflowFitter) new CflowType().fitter(BACKBONE, tinyOptions(), 3L);
    Random random = new Random(1);
    for (int i = 0; i < 24; i++) {
      scaledFitter.add(scaled(image(random, false)));
    }
    for (int i = 0; i < 4; i++) {
      scaledFitter.addValidation(scaled(image(random, false)), false);
    }
    CflowModel scaledModel = scaledFitter.fit();

    TrainingResult result = scaledFitter.trainingResult();
    assertEquals("epochs", result.stopReason(), "losses " + result.trainLoss());
    assertEquals(12, result.trainLoss().size());
    assertTrue(
        result.trainLoss().stream().allMatch(Double::isFinite), "losses " + result.trainLoss());
    double auroc = pixelAuroc(scaledModel, CflowModelTest::scaled);
    assertTrue(auroc > 0.8, "pixel AUROC " + auroc);
  }

  @Test
  void trainingLowersLoss() {
    List<Double> losses = fitter.trainingResult().trainLoss();
    assertTrue(losses.size() >= 2, "epochs " + losses.size());
    assertTrue(losses.get(losses.size() - 1) < losses.get(0), "losses " + losses);
  }

  @Test
  void savedModelGivesIdenticalMaps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cflow.flawmap");
    ModelFile.write(
        file,
        new ModelBundle(
            model, new Calibration(0.5, 0.5, "test", 0, 1), new byte[] {1}, new byte[] {2},
            new ObjectMapper().createObjectNode()));

    AnomalyModel loaded = ModelFile.read(file).model();

    FeatureMap[] features = image(new Random(5), true);
    assertEquals("cflow", loaded.type());
    assertArrayEquals(model.anomalyMap(features).values(), loaded.anomalyMap(features).values());
  }

  @Test
  void mapDoesNotDependOnOtherImages() throws Exception {
    Random random = new Random(8);
    FeatureMap[] target = image(random, true);
    float[] alone = model.anomalyMap(target).values();

    List<FeatureMap[]> others = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      others.add(image(random, i % 2 == 0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> maps = new ArrayList<>();
      for (FeatureMap[] other : others) {
        pool.submit(() -> model.score(other));
        maps.add(pool.submit(() -> model.score(target).map().values()));
      }
      for (Future<float[]> map : maps) {
        assertArrayEquals(alone, map.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void invalidOptionsNameTheOption() {
    Map<String, String> cases =
        Map.of(
            "coupling_blocks", "0", "condition_dim", "6", "fiber_batch", "-1",
            "learning_rate", "0", "time_limit", "-5", "blur_sigma", "0", "hidden_width", "0");
    CflowType type = new CflowType();
    cases.forEach(
        (name, value) -> {
          ModelParameters options = ModelParameters.fromText(Map.of(name, value));
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> type.validate(options));
          assertTrue(e.getMessage().contains(name), e.getMessage());
        });

    ModelParameters outOfRange = ModelParameters.fromText(Map.of("stages", "0,2"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> type.fitter(BACKBONE, outOfRange, 1L));
    assertTrue(e.getMessage().contains("stages"), e.getMessage());
  }

  @Test
  void typeIsRegistered() {
    assertTrue(ModelTypes.all().get("cflow") instanceof CflowType);
  }

  private static ModelParameters tinyOptions() {
    return ModelParameters.fromText(
        Map.of(
            "coupling_blocks", "4", "hidden_width", "32", "condition_dim", "8",
            "fiber_batch", "128", "epochs", "12", "batch_size", "4", "learning_rate", "0.005",
            "patience", "0", "blur_sigma", "1"));
  }

  /** Returns one image's two stage maps, with the defect block shifted when asked. */
  static FeatureMap[] image(Random random, boolean defective) {
    return new FeatureMap[] {
      stage(random, 4, 8, 4, defective, 2, 4), stage(random, 6, 4, 8, defective, 1, 2)
    };
  }

  /**
   * Returns the maps as {@code 50 x + 100}, magnitudes like the raw activations of real
   * backbones, on which unnormalised coupling blocks overflowed within a few epochs.
   */
  static FeatureMap[] scaled(FeatureMap[] maps) {
    FeatureMap[] out = new FeatureMap[maps.length];
    for (int s = 0; s < maps.length; s++) {
      FeatureMap m = maps[s];
      float[] data = m.data().clone();
      for (int i = 0; i < data.length; i++) {
        data[i] = data[i] * 50 + 100;
      }
      out[s] = new FeatureMap(m.channels(), m.height(), m.width(), m.stride(), data);
    }
    return out;
  }

  private static FeatureMap stage(
      Random random, int channels, int cells, int stride, boolean defective, int from, int to) {
    float[] data = new float[channels * cells * cells];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < cells; y++) {
        for (int x = 0; x < cells; x++) {
          double wave = Math.sin(0.8 * x + c) + Math.cos(0.6 * y - c);
          double value = wave + 0.2 * random.nextGaussian();
          if (defective && y >= from && y < to && x >= from && x < to) {
            value += 2.5;
          }
          data[(c * cells + y) * cells + x] = (float) value;
        }
      }
    }
    return new FeatureMap(channels, cells, cells, stride, data);
  }

  /** Brute-force AUROC: the share of (defect, normal) pairs ranked correctly, ties half. */
  private static double auroc(List<Float> positives, List<Float> negatives) {
    double correct = 0;
    for (float p : positives) {
      for (float n : negatives) {
        if (p > n) {
          correct += 1;
        } else if (p == n) {
          correct += 0.5;
        }
      }
    }
    return correct / ((double) positives.size() * negatives.size());
  }
}
