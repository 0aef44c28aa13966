package org.flawmap.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResizerTest {

  private static final float[] ZERO_MEAN = {0f, 0f, 0f};
  private static final float[] UNIT_STD = {1f, 1f, 1f};

  private static RgbImage randomImage(int width, int height, long seed) {
    byte[] rgb = new byte[3 * width * height];
    new Random(seed).nextBytes(rgb);
    return new RgbImage(width, height, rgb);
  }

  private static RgbImage grayImage(int width, int height, java.util.function.IntBinaryOperator f) {
    byte[] rgb = new byte[3 * width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        Arrays.fill(rgb, 3 * (y * width + x), 3 * (y * width + x) + 3,
            (byte) f.applyAsInt(x, y));
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static double tent(double d) {
    return Math.max(0, 1 - Math.abs(d));
  }

  /**
   * Independent reference: each output value is the sum over every input pixel of the product
   * of the two axis weights, each normalised over the whole axis, with no window bounds.
   */
  private static double reference(RgbImage image, int outWidth, int outHeight, int c, int ox,
      int oy) {
    double scaleX = (double) image.width() / outWidth;
    double scaleY = (double) image.height() / outHeight;
    double sx = Math.max(1, scaleX);
    double sy = Math.max(1, scaleY);
    double cx = (ox + 0.5) * scaleX;
    double cy = (oy + 0.5) * scaleY;
    double sumX = 0;
    for (int x = 0; x < image.width(); x++) {
      sumX += tent((x + 0.5 - cx) / sx);
    }
    double sumY = 0;
    for (int y = 0; y < image.height(); y++) {
      sumY += tent((y + 0.5 - cy) / sy);
    }
    double value = 0;
    for (int y = 0; y < image.height(); y++) {
      double wy = tent((y + 0.5 - cy) / sy) / sumY;
      for (int x = 0; x < image.width(); x++) {
        double wx = tent((x + 0.5 - cx) / sx) / sumX;
        value += wx * wy * (image.rgb()[3 * (y * image.width() + x) + c] & 0xFF) / 255.0;
      }
    }
    return value;
  }

  @Test
  void matchesBruteForceReference() {
    int[][] cases = {
      {37, 23, 11, 17}, // x down, y up
      {5, 7, 16, 13}, // up both
      {64, 48, 20, 15}, // down, non-integer factor
      {30, 30, 15, 10}, // integer and non-integer factors
      {9, 9, 9, 9}, // identity
      {1, 1, 4, 3}, // single pixel
      {50, 3, 7, 1}, // to one row
    };
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    for (int[] size : cases) {
      RgbImage image = randomImage(size[0], size[1], size[0] * 31L + size[1]);
      int outWidth = size[2];
      int outHeight = size[3];
      float[] out = Resizer.toInput(image, outWidth, outHeight, mean, std);
      assertEquals(3 * outWidth * outHeight, out.length);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < outHeight; y++) {
          for (int x = 0; x < outWidth; x++) {
            double expected =
                (reference(image, outWidth, outHeight, c, x, y) - mean[c]) / std[c];
            float actual = out[(c * outHeight + y) * outWidth + x];
            // Float output of values up to about 2.6 in size: 1e-5 covers float rounding.
            assertEquals(expected, actual, 1e-5,
                "%s c=%d x=%d y=%d".formatted(Arrays.toString(size), c, x, y));
          }
        }
      }
    }
  }

  @Test
  void constantImageStaysConstant() {
    RgbImage image = grayImage(61, 43, (x, y) -> 200);
    for (int[] target : new int[][] {{224, 224}, {7, 5}, {61, 43}, {100, 13}}) {
      float[] out = Resizer.resize(image, target[0], target[1]);
      for (float v : out) {
        assertEquals(200 / 255.0, v, 1e-6);
      }
    }
  }

  @Test
  void identityResizeCopiesPixels() {
    RgbImage image = randomImage(13, 9, 4);
    float[] out = Resizer.resize(image, 13, 9);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 13 * 9; i++) {
        assertEquals((image.rgb()[3 * i + c] & 0xFF) / 255.0, out[c * 13 * 9 + i], 1e-7);
      }
    }
  }

  /**
   * Halving a one-pixel checkerboard: the tent of half-width 2 centred between two pixels
   * weighs the four nearest columns 1/8, 3/8, 3/8, 1/8, so the odd columns carry half the weight
   * and interior pixels are exactly 0.5. At a border the column outside is dropped, and the
   * weights become 3/7, 3/7, 1/7 from the border inwards. The odd share is then 3/7 at the low
   * border (columns 0, 1, 2) and 4/7 at the high border (columns 13, 14, 15). With odd shares
   * {@code px}, {@code py} the value is {@code px (1 - py) + (1 - px) py}: 24/49 or 25/49 in the
   * corners and 0.5 elsewhere.
   */
  @Test
  void halvedCheckerboardIsMidGray() {
    RgbImage board = grayImage(16, 16, (x, y) -> ((x + y) % 2) * 255);
    float[] out = Resizer.resize(board, 8, 8);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        double px = oddShare(x);
        double py = oddShare(y);
        double expected = px * (1 - py) + (1 - px) * py;
        assertEquals(expected, out[y * 8 + x], 1e-6, "x=" + x + " y=" + y);
      }
    }
    assertEquals(0.5, out[3 * 8 + 4], 1e-6);
    assertEquals(24.0 / 49, out[0], 1e-6);
    assertEquals(25.0 / 49, out[7], 1e-6);
  }

  private static double oddShare(int outputIndex) {
    if (outputIndex == 0) {
      return 3.0 / 7;
    }
    return outputIndex == 7 ? 4.0 / 7 : 0.5;
  }

  /** The symmetric tent keeps a linear ramp linear away from the borders. */
  @Test
  void downscaledRampStaysLinear() {
    RgbImage ramp = grayImage(120, 4, (x, y) -> 2 * x);
    float[] out = Resizer.resize(ramp, 30, 1);
    for (int x = 2; x < 28; x++) {
      // Output centre (x + 0.5) * 4 lies at input index 4x + 1.5, whose value is 2 * (4x + 1.5).
      assertEquals(2 * (4 * x + 1.5) / 255.0, out[x], 1e-6, "x=" + x);
    }
  }

  /** Doubling two pixels a and b: centres at 0.25, 0.75, 1.25, 1.75 give a, 3a/4 + b/4, ... */
  @Test
  void upscaleIsBilinearWithCentresAligned() {
    RgbImage pair = grayImage(2, 1, (x, y) -> x == 0 ? 40 : 200);
    float[] out = Resizer.resize(pair, 4, 1);
    double a = 40 / 255.0;
    double b = 200 / 255.0;
    assertEquals(a, out[0], 1e-6);
    assertEquals(0.75 * a + 0.25 * b, out[1], 1e-6);
    assertEquals(0.25 * a + 0.75 * b, out[2], 1e-6);
    assertEquals(b, out[3], 1e-6);
  }

  @Test
  void channelsLaidOutChw() {
    byte[] rgb = {10, 20, 30, 40, 50, 60};
    float[] out = Resizer.toInput(new RgbImage(2, 1, rgb), 2, 1, new float[] {0, 0.1f, 0.2f},
        new float[] {1, 2, 4});
    assertEquals(10 / 255f, out[0], 1e-6);
    assertEquals(40 / 255f, out[1], 1e-6);
    assertEquals((20 / 255f - 0.1f) / 2, out[2], 1e-6);
    assertEquals((60 / 255f - 0.2f) / 4, out[5], 1e-6);
  }

  @Test
  void invalidArgumentsRejected() {
    RgbImage image = randomImage(4, 4, 1);
    assertThrows(IllegalArgumentException.class,
        () -> Resizer.toInput(image, 0, 4, ZERO_MEAN, UNIT_STD));
    assertThrows(IllegalArgumentException.class,
        () -> Resizer.toInput(image, 4, 4, new float[2], UNIT_STD));
    assertThrows(IllegalArgumentException.class,
        () -> Resizer.toInput(image, 4, 4, ZERO_MEAN, new float[] {1, 0, 1}));
  }

  @Test
  void grayPathEqualsThreeChannelPath() {
    int[][] cases = {{300, 260, 224, 224}, {37, 23, 11, 17}, {5, 7, 16, 13}, {1, 1, 4, 3}};
    for (int[] size : cases) {
      Random random = new Random(size[0] * 7L + size[1]);
      RgbImage image = grayImage(size[0], size[1], (x, y) -> random.nextInt(256));
      assertTrue(Resizer.isGray(image.rgb()));
      float[] gray = Resizer.resize(image, size[2], size[3]);
      float[] channels = Resizer.resizeChannels(image, size[2], size[3], 3);
      // The two paths do the same float and double operations per channel: no tolerance.
      assertArrayEquals(channels, gray, Arrays.toString(size));
    }
  }

  @Test
  void oneColouredPixelIsNotGray() {
    RgbImage image = grayImage(9, 5, (x, y) -> 17 * x + y);
    image.rgb()[3 * (4 * 9 + 8) + 2] ^= 1;
    assertFalse(Resizer.isGray(image.rgb()));
    float[] out = Resizer.resize(image, 4, 3);
    assertArrayEquals(Resizer.resizeChannels(image, 4, 3, 3), out);
  }
}
