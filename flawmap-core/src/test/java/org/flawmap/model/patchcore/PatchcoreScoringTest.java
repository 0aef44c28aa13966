package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.flawmap.model.AnomalyScores;
import org.junit.jupiter.api.Test;

/** The image score weight by hand, and a model's scores against brute force. */
class PatchcoreScoringTest {

  /** 32 × 32 input; stages of 3 channels at stride 4 (8 × 8) and 2 channels at stride 8. */
  static final BackboneInfo BACKBONE =
      new BackboneInfo(
          "fake", "none", 32, 32, new float[3], new float[] {1, 1, 1},
          List.of(new StageInfo("a", 3, 4), new StageInfo("b", 2, 8)));

  static final PatchcoreOptions OPTIONS =
      new PatchcoreOptions(List.of(0, 1), 1024, 0.1, 20_000, 200_000, 64, 4, 2.0, 1L);

  static FeatureMap[] randomFeatures(Random random) {
    float[] a = new float[3 * 8 * 8];
    float[] b = new float[2 * 4 * 4];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian();
    }
    return new FeatureMap[] {new FeatureMap(3, 8, 8, 4, a), new FeatureMap(2, 4, 4, 8, b)};
  }

  @Test
  void weightMatchesHandComputation() {
    // 1 - e² / (e² + e³ + e⁴) = 1 - 1 / (1 + e + e²)
    double w = PatchcoreModel.imageScoreWeight(2, new double[] {2, 3, 4});
    assertEquals(0.9099694268296196, w, 1e-12);
  }

  @Test
  void weightOfEqualDistances() {
    double[] support = new double[9];
    Arrays.fill(support, 3.5);
    assertEquals(1 - 1.0 / 9, PatchcoreModel.imageScoreWeight(3.5, support), 1e-12);
  }

  @Test
  void weightSurvivesLargeDistances() {
    // exp(1000) overflows a double; the log-sum-exp form gives 1 - 1 / (1 + e).
    double w = PatchcoreModel.imageScoreWeight(1000, new double[] {1000, 1001});
    assertEquals(0.7310585786300049, w, 1e-12);
  }

  /** Brute-force reference: every patch against every bank patch in double precision. */
  @Test
  void scoresMatchBruteForce() {
    Random random = new Random(31L);
    int d = 5;
    int size = 200;
    float[] bank = new float[size * d];
    for (int i = 0; i < bank.length; i++) {
      bank[i] = (float) (0.7 * random.nextGaussian());
    }
    PatchcoreModel model = PatchcoreModel.of(BACKBONE, OPTIONS, bank, 10, 640);
    FeatureMap[] features = randomFeatures(random);
    float[] patches = new PatchFeatures(BACKBONE, OPTIONS.stages(), 1024).extract(features);

    int positions = 64;
    double[] nearest = new double[positions];
    int[] nearestIndex = new int[positions];
    for (int p = 0; p < positions; p++) {
      nearest[p] = Double.POSITIVE_INFINITY;
      for (int m = 0; m < size; m++) {
        double dist = NearestNeighboursTest.distance(patches, p, bank, m, d);
        if (dist < nearest[p]) {
          nearest[p] = dist;
          nearestIndex[p] = m;
        }
      }
    }
    AnomalyMap grid = model.distanceGrid(features);
    for (int p = 0; p < positions; p++) {
      assertEquals(nearest[p], grid.values()[p], 1e-6, "patch " + p);
    }

    int worst = IntStream.range(0, positions)
        .boxed()
        .max(Comparator.comparingDouble(p -> nearest[p]))
        .orElseThrow();
    int best = nearestIndex[worst];
    double[] support =
        IntStream.range(0, size)
            .boxed()
            .sorted(Comparator.comparingDouble(
                m -> NearestNeighboursTest.distance(bank, best, bank, m, d)))
            .limit(OPTIONS.neighbours())
            .mapToDouble(m -> NearestNeighboursTest.distance(patches, worst, bank, m, d))
            .toArray();
    double denominator = 0;
    for (double s : support) {
      denominator += Math.exp(s);
    }
    double expected = (1 - Math.exp(nearest[worst]) / denominator) * nearest[worst];

    AnomalyScores scores = model.score(features);
    assertEquals(expected, scores.imageScore(), 1e-9 * expected);
    assertEquals(32, scores.map().width());
    assertEquals(32, scores.map().height());
  }

  @Test
  void mapIsTheBlurredUpsampledGrid() {
    Random random = new Random(32L);
    float[] bank = new float[50 * 5];
    for (int i = 0; i < bank.length; i++) {
      bank[i] = (float) random.nextGaussian();
    }
    PatchcoreModel model = PatchcoreModel.of(BACKBONE, OPTIONS, bank, 1, 64);
    FeatureMap[] features = randomFeatures(random);
    AnomalyMap expected =
        new org.flawmap.anomalymap.GaussianBlur(2.0)
            .apply(org.flawmap.anomalymap.MapResize.bilinear(model.distanceGrid(features), 32,
                32));
    float[] actual = model.anomalyMap(features).values();
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected.values()[i], actual[i], 1e-6f, "pixel " + i);
    }
    assertTrue(model.score(features).imageScore() > 0);
  }
}
