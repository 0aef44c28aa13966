package org.flawmap.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.junit.jupiter.api.Test;

class TileLayoutTest {

  /** Lengths, tile sizes and overlaps covering exact fits, remainders and a single step. */
  private static final int[][] AXES = {
    {224, 224, 64}, {225, 224, 64}, {384, 224, 64}, {385, 224, 64}, {632, 224, 64},
    {403, 224, 0}, {100, 8, 3}, {9, 8, 7}, {1000, 64, 16},
  };

  @Test
  void originsCoverAxisExactly() {
    for (int[] axis : AXES) {
      int length = axis[0];
      int tile = axis[1];
      int overlap = axis[2];
      int[] origins = TileLayout.origins(length, tile, overlap);
      String at = "length %d, tile %d, overlap %d".formatted(length, tile, overlap);

      assertEquals(0, origins[0], at + ": first tile starts at 0");
      assertEquals(length - tile, origins[origins.length - 1], at + ": last tile is flush");
      for (int i = 0; i + 1 < origins.length; i++) {
        int shared = origins[i] + tile - origins[i + 1];
        if (i + 2 < origins.length) {
          assertEquals(overlap, shared, at + ": overlap of tiles " + i + " and " + (i + 1));
        } else {
          assertTrue(shared >= overlap, at + ": last overlap " + shared);
          assertTrue(shared < tile, at + ": last tile adds pixels, overlap " + shared);
        }
      }
    }
  }

  @Test
  void originsTileCountIsMinimal() {
    // 632 = 224 + 160 + 160 + 88, so four tiles with a step of 160.
    assertArrayEquals(new int[] {0, 160, 320, 408}, TileLayout.origins(632, 224, 64));
    assertArrayEquals(new int[] {0, 160}, TileLayout.origins(384, 224, 64));
    assertArrayEquals(new int[] {0}, TileLayout.origins(224, 224, 64));
  }

  @Test
  void smallImageIsOneCentredTile() {
    assertArrayEquals(new int[] {-20}, TileLayout.origins(24, 64, 16));
    assertArrayEquals(new int[] {-31}, TileLayout.origins(1, 64, 16));

    TileLayout layout = TileLayout.of(40, 30, 64, 64, InputSettings.tile(1.0, 16));
    assertEquals(1, layout.count());
    assertEquals(-12, layout.x(0));
    assertEquals(-17, layout.y(0));
  }

  @Test
  void scaleAppliesBeforeTiling() {
    TileLayout layout = TileLayout.of(300, 101, 64, 64, InputSettings.tile(0.5, 16));

    assertEquals(150, layout.scaledWidth());
    assertEquals(51, layout.scaledHeight());
    // Columns 0, 48, 86; one centred row.
    assertEquals(3, layout.count());
    assertEquals(86, layout.x(2));
    assertEquals(-6, layout.y(2));
  }

  @Test
  void tilesInRasterOrder() {
    TileLayout layout = TileLayout.of(150, 100, 64, 64, InputSettings.tile(1.0, 16));

    assertEquals(6, layout.count());
    assertEquals(48, layout.x(1));
    assertEquals(0, layout.y(1));
    assertEquals(0, layout.x(3));
    assertEquals(36, layout.y(3));
  }

  @Test
  void overlapNotBelowTileRejected() {
    var e = assertThrows(
        IllegalArgumentException.class,
        () -> TileLayout.of(300, 300, 64, 64, InputSettings.tile(1.0, 64)));
    assertTrue(e.getMessage().contains("--tile-overlap"), e.getMessage());
  }

  @Test
  void tooManyTilesRejectedWithCount() {
    // 96 × 96 at scale 16 is 1536 × 1536; tiles of 224 with overlap 223 step by 1 pixel.
    var e = assertThrows(
        IllegalArgumentException.class,
        () -> TileLayout.of(96, 96, 224, 224, InputSettings.tile(16, 223)));

    assertTrue(e.getMessage().contains("needs 1723969 tiles"), e.getMessage());
    assertTrue(e.getMessage().contains("maximum of 4096"), e.getMessage());
    assertTrue(e.getMessage().contains("--tile-scale"), e.getMessage());
    assertTrue(e.getMessage().contains("--tile-overlap"), e.getMessage());
  }

  @Test
  void maxTileCountIsAllowed() {
    // 64 tiles of 8 with overlap 0 per axis: 512 pixels, 64 × 64 = 4096 tiles.
    TileLayout layout = TileLayout.of(512, 512, 8, 8, InputSettings.tile(1.0, 0));
    assertEquals(TileLayout.MAX_TILES, layout.count());

    assertThrows(
        IllegalArgumentException.class,
        () -> TileLayout.of(513, 512, 8, 8, InputSettings.tile(1.0, 0)));
  }

  @Test
  void subPixelScaledImageRejected() {
    var e = assertThrows(
        IllegalArgumentException.class,
        () -> TileLayout.of(20, 300, 224, 224, InputSettings.tile(1.0 / 64, 64)));

    assertTrue(e.getMessage().contains("under 1 pixel"), e.getMessage());
    assertTrue(e.getMessage().contains("--tile-scale"), e.getMessage());
  }

  @Test
  void scaleOutsideRangeRejected() {
    var tiny = assertThrows(
        IllegalArgumentException.class, () -> InputSettings.tile(0.0001, 64));
    assertTrue(tiny.getMessage().contains("1/64"), tiny.getMessage());

    assertThrows(IllegalArgumentException.class, () -> InputSettings.tile(16.5, 64));
    assertEquals(1.0 / 64, InputSettings.tile(1.0 / 64, 64).tileScale());
  }

  @Test
  void rampIsPartitionOfUnity() {
    float[] ramp = TileLayout.ramp(64, 16);

    for (float w : ramp) {
      assertTrue(w > 0, "weight " + w);
      assertTrue(w <= 1, "weight " + w);
    }
    for (int i = 0; i < 16; i++) {
      assertEquals(1.0, ramp[48 + i] + ramp[i], 1e-6, "overlap pixel " + i);
    }
    assertEquals(1.0f, ramp[32]);
  }

  @Test
  void constantTilesStitchToConstant() {
    TileLayout layout = TileLayout.of(150, 100, 64, 64, InputSettings.tile(1.0, 16));
    List<AnomalyMap> maps = new ArrayList<>(Collections.nCopies(layout.count(), constant(64, 2.5f)));

    AnomalyMap stitched = layout.stitch(maps);

    assertEquals(150, stitched.width());
    assertEquals(100, stitched.height());
    for (float v : stitched.values()) {
      assertEquals(2.5f, v, 1e-6);
    }
  }

  @Test
  void overlapBlendsLinearly() {
    // One tile row on a 112 × 64 image: tiles at 0 and 48 share columns 48 to 63.
    TileLayout layout = TileLayout.of(112, 64, 64, 64, InputSettings.tile(1.0, 16));
    AnomalyMap stitched = layout.stitch(List.of(constant(64, 0f), constant(64, 1f)));

    assertEquals(0f, stitched.get(47, 10), 1e-6);
    assertEquals(1f, stitched.get(64, 10), 1e-6);
    for (int x = 48; x < 64; x++) {
      assertEquals((x - 48 + 0.5) / 16, stitched.get(x, 10), 1e-6, "column " + x);
    }
  }

  @Test
  void stitchMatchesBruteForce() {
    // Tiles of 8 × 8 with an overlap of 3 on a 19 × 13 image at scale 1, and on a 5 × 4 image.
    for (int[] size : new int[][] {{19, 13}, {5, 4}, {8, 21}}) {
      int width = size[0];
      int height = size[1];
      TileLayout layout = TileLayout.of(width, height, 8, 8, InputSettings.tile(1.0, 3));
      Random random = new Random(width * 31L + height);
      List<AnomalyMap> maps = new ArrayList<>();
      for (int i = 0; i < layout.count(); i++) {
        float[] v = new float[64];
        for (int p = 0; p < v.length; p++) {
          v[p] = (float) random.nextGaussian();
        }
        maps.add(new AnomalyMap(8, 8, v));
      }

      AnomalyMap stitched = layout.stitch(maps);

      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double sum = 0;
          double weight = 0;
          for (int i = 0; i < layout.count(); i++) {
            int tx = x - layout.x(i);
            int ty = y - layout.y(i);
            if (tx < 0 || ty < 0 || tx >= 8 || ty >= 8) {
              continue;
            }
            double w = ramp(tx, 8, 3) * ramp(ty, 8, 3);
            sum += w * maps.get(i).get(tx, ty);
            weight += w;
          }
          assertEquals(sum / weight, stitched.get(x, y), 1e-6,
              "%d×%d image, pixel (%d, %d)".formatted(width, height, x, y));
        }
      }
    }
  }

  @Test
  void cutCopiesWindowAndPads() {
    // A 3-channel 10 × 6 scaled image cut into 8 × 8 tiles with an overlap of 2.
    TileLayout layout = TileLayout.of(10, 6, 8, 8, InputSettings.tile(1.0, 2));
    float[] scaled = new float[3 * 10 * 6];
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = i + 1;
    }

    assertEquals(2, layout.count());
    assertEquals(2, layout.x(1));
    assertEquals(-1, layout.y(1));
    float[] tile = layout.cut(scaled, 1);
    for (int c = 0; c < 3; c++) {
      for (int ty = 0; ty < 8; ty++) {
        for (int tx = 0; tx < 8; tx++) {
          int y = ty - 1;
          int x = tx + 2;
          float expected = y < 0 || y >= 6 ? 0 : scaled[(c * 6 + y) * 10 + x];
          assertEquals(expected, tile[(c * 8 + ty) * 8 + tx], "channel %d, (%d, %d)"
              .formatted(c, tx, ty));
        }
      }
    }
  }

  /** The ramp of the class doc, written out independently. */
  private static double ramp(int i, int tile, int overlap) {
    double left = (i + 0.5) / overlap;
    double right = (tile - i - 0.5) / overlap;
    return Math.min(1, Math.min(left, right));
  }

  private static AnomalyMap constant(int size, float value) {
    float[] v = new float[size * size];
    java.util.Arrays.fill(v, value);
    return new AnomalyMap(size, size, v);
  }
}
