package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.junit.jupiter.api.Test;

/** Locally aware patch features against hand computations. */
class PatchFeaturesTest {

  /** 32 × 32 input: 2 channels at stride 4 (8 × 8), 1 at stride 8 (4 × 4), 1 at stride 16. */
  static final BackboneInfo BACKBONE =
      new BackboneInfo(
          "fake", "none", 32, 32, new float[3], new float[] {1, 1, 1},
          List.of(
              new StageInfo("fine", 2, 4), new StageInfo("coarse", 1, 8),
              new StageInfo("coarsest", 1, 16)));

  static FeatureMap[] constantStages(float fine0, float fine1, float coarse) {
    return new FeatureMap[] {
      constantStage(2, 8, 4, fine0, fine1), constantStage(1, 4, 8, coarse),
      constantStage(1, 2, 16, 0f)
    };
  }

  static FeatureMap constantStage(int channels, int size, int stride, float... values) {
    float[] data = new float[channels * size * size];
    for (int c = 0; c < channels; c++) {
      Arrays.fill(data, c * size * size, (c + 1) * size * size, values[c]);
    }
    return new FeatureMap(channels, size, size, stride, data);
  }

  @Test
  void averageOfOnesShowsTheZeroPadding() {
    float[] ones = new float[12];
    Arrays.fill(ones, 1f);
    float[] averaged = PatchFeatures.average3x3(ones, 0, 4, 3);
    float corner = 4f / 9;
    float edge = 6f / 9;
    float[] expected = {
      corner, edge, edge, corner,
      edge, 1f, 1f, edge,
      corner, edge, edge, corner
    };
    assertArrayEquals(expected, averaged, 1e-6f);
  }

  @Test
  void averageSumsTheNeighbourhood() {
    // Values 0..11 in a 4 × 3 plane that starts at offset 2.
    float[] data = new float[14];
    for (int i = 0; i < 12; i++) {
      data[2 + i] = i;
    }
    float[] averaged = PatchFeatures.average3x3(data, 2, 4, 3);
    // Cell (x=1, y=1) = 5 covers 0,1,2,4,5,6,8,9,10, and cell (0, 0) covers 0,1,4,5.
    assertEquals(45f / 9, averaged[5], 1e-6f);
    assertEquals(10f / 9, averaged[0], 1e-6f);
    assertEquals((10f + 11 + 6 + 7) / 9, averaged[11], 1e-6f);
  }

  @Test
  void stagesAreJoinedOnTheFinestGrid() {
    PatchFeatures features = new PatchFeatures(BACKBONE, List.of(0, 1), 1024);
    assertEquals(8, features.width());
    assertEquals(8, features.height());
    assertEquals(3, features.dimension());
    float[] patches = features.extract(constantStages(1f, 2f, 9f));
    assertEquals(64 * 3, patches.length);
    // Fine cell (3, 3) is interior, and it samples coarse coordinate 1.25, between interior
    // coarse cells, so all three channels keep their values.
    int interior = (3 * 8 + 3) * 3;
    assertArrayEquals(new float[] {1f, 2f, 9f},
        Arrays.copyOfRange(patches, interior, interior + 3), 1e-6f);
    // The corner covers 4 of 9 neighbours on both stages. Its coarse coordinate -0.25 clamps to
    // the coarse corner, 9 · 4 / 9.
    assertArrayEquals(new float[] {4f / 9, 8f / 9, 4f}, Arrays.copyOfRange(patches, 0, 3), 1e-6f);
  }

  @Test
  void coarserStageIsAveragedThenUpsampled() {
    PatchFeatures features = new PatchFeatures(BACKBONE, List.of(0, 1), 1024);
    float[] coarse = new float[16];
    for (int i = 0; i < 16; i++) {
      coarse[i] = (i * 7) % 5 - 2;
    }
    FeatureMap[] maps = constantStages(0f, 0f, 0f);
    maps[1] = new FeatureMap(1, 4, 4, 8, coarse);
    float[] patches = features.extract(maps);
    float[] expected =
        MapResize.bilinear(PatchFeatures.average3x3(coarse, 0, 4, 4), 4, 4, 8, 8);
    for (int p = 0; p < 64; p++) {
      assertEquals(expected[p], patches[p * 3 + 2], 1e-6f, "position " + p);
    }
  }

  @Test
  void adaptivePoolingAveragesOverlappingBins() {
    // Three channels to two: bins [0, 2) and [1, 3), as adaptive_avg_pool1d places them.
    PatchFeatures features = new PatchFeatures(BACKBONE, List.of(0, 1), 2);
    assertEquals(2, features.dimension());
    assertEquals(3, features.concatenatedChannels());
    float[] patches = features.extract(constantStages(1f, 2f, 9f));
    int interior = (3 * 8 + 3) * 2;
    assertEquals(1.5f, patches[interior], 1e-6f);
    assertEquals(5.5f, patches[interior + 1], 1e-6f);
  }

  @Test
  void finestSelectedStageSetsTheGrid() {
    PatchFeatures features = new PatchFeatures(BACKBONE, List.of(1, 2), 1024);
    assertEquals(4, features.width());
    assertEquals(2, features.dimension());
  }

  @Test
  void stageOutsideTheBackboneIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PatchFeatures(BACKBONE, List.of(1, 3), 1024));
    assertTrue(e.getMessage().contains("--patchcore-stages [1, 3]"), e.getMessage());
    assertTrue(e.getMessage().contains("fine, coarse, coarsest"), e.getMessage());
  }
}
