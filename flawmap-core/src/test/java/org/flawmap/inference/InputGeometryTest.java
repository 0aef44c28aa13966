package org.flawmap.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.image.Resizer;
import org.flawmap.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The input geometry against hand computations for a 224 × 224 input. */
class InputGeometryTest {

  private static final float[] MEAN = {0.5f, 0.4f, 0.3f};
  private static final float[] STD = {0.2f, 0.25f, 0.5f};
  private static final InputGeometry KEEP =
      new InputGeometry(InputMode.KEEP_ASPECT, 224, 224, MEAN, STD);
  private static final InputGeometry RESIZE =
      new InputGeometry(InputMode.RESIZE, 224, 224, MEAN, STD);

  private static RgbImage uniform(int width, int height, int value) {
    byte[] rgb = new byte[3 * width * height];
    java.util.Arrays.fill(rgb, (byte) value);
    return new RgbImage(width, height, rgb);
  }

  private static RgbImage random(int width, int height, long seed) {
    byte[] rgb = new byte[3 * width * height];
    new Random(seed).nextBytes(rgb);
    return new RgbImage(width, height, rgb);
  }

  @Test
  void regionOfPortraitAndLandscape() {
    // 100 × 300: scale 224 / 300 = 0.7467, width round(74.67) = 75, offset (224 - 75) / 2 = 74.
    assertEquals(new InputGeometry.Region(74, 0, 75, 224), KEEP.region(100, 300));
    assertEquals(new InputGeometry.Region(0, 74, 224, 75), KEEP.region(300, 100));
    assertEquals(new InputGeometry.Region(0, 0, 224, 224), KEEP.region(50, 50));
    assertEquals(new InputGeometry.Region(0, 0, 224, 224), RESIZE.region(100, 300));
  }

  @Test
  void toInputPadsWithMean() {
    RgbImage image = random(100, 300, 7);
    float[] input = KEEP.toInput(image);
    float[] content = Resizer.toInput(image, 75, 224, MEAN, STD);
    int plane = 224 * 224;

    assertEquals(3 * plane, input.length);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          float v = input[c * plane + y * 224 + x];
          if (x < 74 || x >= 149) {
            assertEquals(0f, v, "padding at c=%d x=%d y=%d".formatted(c, x, y));
          } else {
            assertEquals(content[(c * 224 + y) * 75 + x - 74], v);
          }
        }
      }
    }
  }

  @Test
  void toInputUniformImage() {
    float[] input = KEEP.toInput(uniform(100, 300, 200));
    int plane = 224 * 224;
    for (int c = 0; c < 3; c++) {
      float expected = (200 / 255f - MEAN[c]) / STD[c];
      assertEquals(expected, input[c * plane + 100 * 224 + 74], 1e-5);
      assertEquals(expected, input[c * plane + 100 * 224 + 148], 1e-5);
      assertEquals(0f, input[c * plane + 100 * 224 + 73]);
      assertEquals(0f, input[c * plane + 100 * 224 + 149]);
    }
  }

  @Test
  void mapToImageDropsPadding() {
    float[] values = new float[224 * 224];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        values[y * 224 + x] = x >= 74 && x < 149 ? 1f : 1000f;
      }
    }
    AnomalyMap atImage = KEEP.mapToImage(new AnomalyMap(224, 224, values), 100, 300);

    assertEquals(100, atImage.width());
    assertEquals(300, atImage.height());
    for (float v : atImage.values()) {
      assertEquals(1f, v);
    }
  }

  @Test
  void mapToImageRampPositions() {
    float[] columns = new float[224 * 224];
    float[] rows = new float[224 * 224];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        columns[y * 224 + x] = x;
        rows[y * 224 + x] = y;
      }
    }
    AnomalyMap byColumn = KEEP.mapToImage(new AnomalyMap(224, 224, columns), 100, 300);
    AnomalyMap byRow = KEEP.mapToImage(new AnomalyMap(224, 224, rows), 100, 300);

    // Image column i samples crop column (i + 0.5) * 75 / 100 - 0.5, clamped to [0, 74], and
    // the crop starts at input column 74; rows sample (j + 0.5) * 224 / 300 - 0.5.
    for (int i = 0; i < 100; i++) {
      double expected = 74 + Math.min(74, Math.max(0, (i + 0.5) * 0.75 - 0.5));
      assertEquals(expected, byColumn.get(i, 150), 1e-4, "column " + i);
    }
    for (int j = 0; j < 300; j++) {
      double expected = Math.min(223, Math.max(0, (j + 0.5) * 224.0 / 300 - 0.5));
      assertEquals(expected, byRow.get(50, j), 1e-4, "row " + j);
    }
  }

  @Test
  void resizeModeUnchanged() {
    RgbImage image = random(100, 300, 11);
    assertArrayEquals(Resizer.toInput(image, 224, 224, MEAN, STD), RESIZE.toInput(image));

    float[] values = new float[224 * 224];
    Random random = new Random(3);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    AnomalyMap map = new AnomalyMap(224, 224, values);
    assertArrayEquals(
        MapResize.bilinear(map, 100, 300).values(), RESIZE.mapToImage(map, 100, 300).values());
  }

  @Test
  void mapOfWrongSizeRejected() {
    AnomalyMap map = new AnomalyMap(56, 56, new float[56 * 56]);
    assertThrows(IllegalArgumentException.class, () -> KEEP.mapToImage(map, 100, 300));
  }

  @Test
  void unknownModeNamesChoices() {
    assertEquals(InputMode.KEEP_ASPECT, InputMode.parse("keep-aspect"));
    assertEquals(InputMode.TILE, InputMode.parse("tile"));
    var e = assertThrows(IllegalArgumentException.class, () -> InputMode.parse("tiles"));
    assertEquals(
        "unknown input mode 'tiles'; use one of: resize, keep-aspect, tile", e.getMessage());
  }
}
