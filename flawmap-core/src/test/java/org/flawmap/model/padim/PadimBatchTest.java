package org.flawmap.model.padim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.flawmap.model.AnomalyScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that scoring a batch gives each image's scores bit for bit, against the one-image
 * forward substitution of {@link PackedCholesky#solveSquaredNorm}, so that batching in
 * {@code predict} or Spark never changes a score.
 */
class PadimBatchTest {

  /** Returns a backbone of one stage at stride 4 on a 16 × 16 input: a 4 × 4 grid. */
  private static BackboneInfo backbone(int channels) {
    return new BackboneInfo("tiny", "0", 16, 16, new float[] {0, 0, 0}, new float[] {1, 1, 1},
        List.of(new StageInfo("s1", channels, 4)));
  }

  private static FeatureMap[] features(Random random, double scale, int channels) {
    float[] values = new float[channels * 4 * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (scale * random.nextGaussian() + (i % 7));
    }
    return new FeatureMap[] {new FeatureMap(channels, 4, 4, 4, values)};
  }

  private static PadimModel fitted(Random random, int channels) {
    PadimFitter fitter =
        new PadimFitter(backbone(channels), new PadimOptions(channels, 0.01, 1.0, 5L));
    for (int i = 0; i < 60; i++) {
      fitter.add(features(random, 1.0, channels));
    }
    return fitter.fit();
  }

  /** Computes the distance grid of one image with the one-residual solve. */
  private static float[] oneByOne(PadimModel model, FeatureMap[] features) {
    int d = model.channels().length;
    int packed = PackedCholesky.packedSize(d);
    float[] patches = new PadimEmbedding(backbone(d).stages(), 16, 16, model.channels())
        .embed(features);
    float[] grid = new float[model.gridWidth() * model.gridHeight()];
    for (int p = 0; p < grid.length; p++) {
      float[] residual = new float[d];
      for (int k = 0; k < d; k++) {
        residual[k] = patches[p * d + k] - model.mean()[p * d + k];
      }
      grid[p] = (float) Math.sqrt(
          PackedCholesky.solveSquaredNorm(model.cholesky(), p * packed, residual, d));
    }
    return grid;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 24, 25})
  void batchGridsEqualOneImageGridsExactly(int channels) {
    // Odd and even d: the solve takes columns in pairs and the last one of an odd d alone.
    Random random = new Random(11);
    PadimModel model = fitted(random, channels);
    List<FeatureMap[]> batch = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      batch.add(features(random, 1.0 + i, channels));
    }

    var grids = model.distanceGrids(batch);

    assertEquals(batch.size(), grids.size());
    for (int i = 0; i < batch.size(); i++) {
      assertArrayEquals(oneByOne(model, batch.get(i)), grids.get(i).values(), 0f,
          "d = " + channels + ", image " + i);
    }
  }

  @Test
  void scoreBatchEqualsScoreOfEachImage() {
    Random random = new Random(12);
    PadimModel model = fitted(random, 24);
    List<FeatureMap[]> batch = List.of(
        features(random, 1.0, 24), features(random, 5.0, 24), features(random, 0.5, 24));

    List<AnomalyScores> scores = model.scoreBatch(batch);

    for (int i = 0; i < batch.size(); i++) {
      AnomalyScores alone = model.score(batch.get(i));
      assertEquals(alone.imageScore(), scores.get(i).imageScore(), 0.0, "image " + i);
      assertArrayEquals(alone.map().values(), scores.get(i).map().values(), 0f, "image " + i);
    }
  }
}
