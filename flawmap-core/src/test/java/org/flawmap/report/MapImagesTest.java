package org.flawmap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.image.RgbImage;
import org.flawmap.model.Calibration;
import org.junit.jupiter.api.Test;

class MapImagesTest {

  private static final Calibration CALIBRATION = new Calibration(5, 6, "f1", 0, 10);

  private static final int W = 23;
  private static final int H = 17;

  private static AnomalyMap map(Random random) {
    float[] v = new float[W * H];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 14 - 2);
    }
    return new AnomalyMap(W, H, v);
  }

  /** Returns pixel i's colour in the plain per-pixel form: blend, then the outlines. */
  private static int referenceOverlay(
      RgbImage image, AnomalyMap map, boolean[] pred, boolean[] gt, int i) {
    int heat = referenceHeat(map.values()[i]);
    byte[] rgb = image.rgb();
    int r = MapImages.blend(rgb[3 * i] & 0xff, (heat >> 16) & 0xff);
    int g = MapImages.blend(rgb[3 * i + 1] & 0xff, (heat >> 8) & 0xff);
    int b = MapImages.blend(rgb[3 * i + 2] & 0xff, heat & 0xff);
    int colour = (r << 16) | (g << 8) | b;
    if (isEdge(gt, i)) {
      colour = 0x00ff00;
    }
    if (isEdge(pred, i)) {
      colour = 0xff0000;
    }
    return colour;
  }

  private static boolean isEdge(boolean[] mask, int i) {
    if (!mask[i]) {
      return false;
    }
    int x = i % W;
    int y = i / W;
    if (x == 0 || y == 0 || x == W - 1 || y == H - 1) {
      return true;
    }
    return !mask[i - 1] || !mask[i + 1] || !mask[i - W] || !mask[i + W];
  }

  @Test
  void heatMapMatchesPerPixelColours() {
    AnomalyMap map = map(new Random(1));
    BufferedImage heat = MapImages.heatMap(map, CALIBRATION);
    for (int i = 0; i < W * H; i++) {
      int expected = referenceHeat(map.values()[i]);
      assertEquals(expected, heat.getRGB(i % W, i / W) & 0xffffff, "pixel " + i);
    }
  }

  @Test
  void overlayMatchesPerPixelReference() {
    Random random = new Random(2);
    AnomalyMap map = map(random);
    byte[] rgb = new byte[3 * W * H];
    random.nextBytes(rgb);
    RgbImage image = new RgbImage(W, H, rgb);
    boolean[] pred = new boolean[W * H];
    boolean[] gt = new boolean[W * H];
    for (int i = 0; i < W * H; i++) {
      pred[i] = map.values()[i] >= CALIBRATION.pixelThreshold();
      gt[i] = random.nextInt(3) == 0;
    }
    BufferedImage overlay = MapImages.overlay(image, map, pred, gt, CALIBRATION);
    for (int i = 0; i < W * H; i++) {
      assertEquals(referenceOverlay(image, map, pred, gt, i),
          overlay.getRGB(i % W, i / W) & 0xffffff, "pixel " + i);
    }
  }

  @Test
  void writtenPngKeepsPixels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    BufferedImage heat = MapImages.heatMap(map(new Random(4)), CALIBRATION);
    java.nio.file.Path file = tmp.resolve("heat.png");
    MapImages.writePng(file, heat);
    BufferedImage read = javax.imageio.ImageIO.read(file.toFile());
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertEquals(heat.getRGB(x, y), read.getRGB(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void blendRoundsHalfUp() {
    assertEquals(0, MapImages.blend(0, 0));
    assertEquals(255, MapImages.blend(255, 255));
    assertEquals(153, MapImages.blend(255, 0));
    assertEquals(102, MapImages.blend(0, 255));
  }

  @Test
  void roundHalfUpAgreesWithMathRound() {
    // Every half-way point of the 0..255 channel range and its neighbouring doubles, then a
    // dense sweep.
    for (int k = 0; k <= 255; k++) {
      double half = k + 0.5;
      for (double x : new double[] {k, Math.nextUp((double) k), half, Math.nextDown(half),
          Math.nextUp(half)}) {
        assertEquals(Math.round(x), MapImages.roundHalfUp(x), "x = " + x);
      }
    }
    for (int i = 0; i <= 2_000_000; i++) {
      double x = 255.0 * i / 2_000_000;
      assertEquals(Math.round(x), MapImages.roundHalfUp(x), "x = " + x);
    }
  }

  /**
   * Computes the heat colour in its plain form: the normalised score rounded to a multiple of
   * 1/255, then the jet colour, with Math.min, Math.max and Math.round.
   */
  private static int referenceHeat(double score) {
    double t = Math.round(255 * CALIBRATION.normalise(score)) / 255.0;
    long r = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 3))));
    long g = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 2))));
    long b = Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 1))));
    return (int) (r << 16 | g << 8 | b);
  }

  @Test
  void heatLevelsMatchPlainFormula() {
    float[] special = {0f, -0f, 5f, 10f, Math.nextUp(5f), Math.nextDown(5f), 2.5f, 7.5f,
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -3f, 13f};
    int sweep = 200_000;
    float[] v = Arrays.copyOf(special, special.length + sweep);
    for (int i = 0; i < sweep; i++) {
      v[special.length + i] = (float) (-1 + 12.0 * i / sweep);
    }

    byte[] levels = MapImages.heatLevels(new AnomalyMap(v.length, 1, v), CALIBRATION);

    for (int i = 0; i < v.length; i++) {
      // Math.round(NaN) is 0, so a NaN score shows the lowest level.
      assertEquals(Math.round(255 * CALIBRATION.normalise(v[i])), levels[i] & 0xff,
          "score " + v[i]);
    }
  }

  @Test
  void heatMapIsPaletteOfLevels() {
    BufferedImage heat = MapImages.heatMap(new AnomalyMap(3, 1, new float[] {-1, 5, 99}),
        CALIBRATION);

    assertEquals(BufferedImage.TYPE_BYTE_INDEXED, heat.getType());
    assertEquals(0x000080, heat.getRGB(0, 0) & 0xffffff, "lowest level: dark blue");
    assertEquals(0x800000, heat.getRGB(2, 0) & 0xffffff, "highest level: dark red");
    assertEquals(referenceHeat(5), heat.getRGB(1, 0) & 0xffffff, "threshold");
  }
}
