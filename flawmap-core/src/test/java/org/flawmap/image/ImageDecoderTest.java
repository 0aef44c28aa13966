package org.flawmap.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.flawmap.image.ImageDecodeException.Problem;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

  private static final int W = 7;
  private static final int H = 5;

  @TempDir Path dir;

  private static int[] grayValues() {
    int[] values = new int[W * H];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i * 37 + 11) % 256;
    }
    return values;
  }

  private static int[] packedRgb() {
    int[] packed = new int[W * H];
    Random random = new Random(3);
    for (int i = 0; i < packed.length; i++) {
      packed[i] = random.nextInt(1 << 24);
    }
    return packed;
  }

  private static byte[] expectedFromGray(int[] values) {
    byte[] rgb = new byte[3 * values.length];
    for (int i = 0; i < values.length; i++) {
      Arrays.fill(rgb, 3 * i, 3 * i + 3, (byte) values[i]);
    }
    return rgb;
  }

  private static byte[] expectedFromPacked(int[] packed) {
    byte[] rgb = new byte[3 * packed.length];
    for (int i = 0; i < packed.length; i++) {
      rgb[3 * i] = (byte) (packed[i] >> 16);
      rgb[3 * i + 1] = (byte) (packed[i] >> 8);
      rgb[3 * i + 2] = (byte) packed[i];
    }
    return rgb;
  }

  private static void assertDecodes(Path file, byte[] expected) throws IOException {
    RgbImage image = ImageDecoder.decode(file);
    assertEquals(W, image.width());
    assertEquals(H, image.height());
    assertArrayEquals(expected, image.rgb(), "decoded values of " + file.getFileName());
  }

  @Test
  void grayPngAndBmpExact() throws IOException {
    int[] values = grayValues();
    BufferedImage image = TestImages.gray(W, H, values);
    assertDecodes(TestImages.write(image, dir.resolve("g.png")), expectedFromGray(values));
    assertDecodes(TestImages.write(image, dir.resolve("g.bmp")), expectedFromGray(values));
  }

  @Test
  void rgbPngAndBmpExact() throws IOException {
    int[] packed = packedRgb();
    BufferedImage image = TestImages.rgb(W, H, packed);
    assertDecodes(TestImages.write(image, dir.resolve("c.png")), expectedFromPacked(packed));
    assertDecodes(TestImages.write(image, dir.resolve("c.bmp")), expectedFromPacked(packed));
  }

  @Test
  void rgbaPngIgnoresAlpha() throws IOException {
    int[] packed = packedRgb();
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
    for (int i = 0; i < packed.length; i++) {
      int alpha = i % 3 == 0 ? 0 : (i % 3 == 1 ? 128 : 255);
      image.setRGB(i % W, i / W, (alpha << 24) | packed[i]);
    }
    assertDecodes(TestImages.write(image, dir.resolve("a.png")), expectedFromPacked(packed));
  }

  @Test
  void grayAlphaPngIgnoresAlpha() throws IOException {
    int[] values = grayValues();
    int[] interleaved = new int[2 * values.length];
    for (int i = 0; i < values.length; i++) {
      interleaved[2 * i] = values[i];
      interleaved[2 * i + 1] = (i * 91) % 256;
    }
    Path file = TestImages.write(TestImages.grayAlpha(W, H, interleaved), dir.resolve("ga.png"));
    assertDecodes(file, expectedFromGray(values));
  }

  /**
   * Writes palette images with 256 entries (8-bit indices) and 16 entries (4-bit packed). A
   * 4-entry palette on an 8-bit raster is avoided because the JDK 17 BMP writer stores it with
   * a 4-bit header but one index per byte.
   */
  @Test
  void palettePngAndBmpLookUpColours() throws IOException {
    for (int bits : new int[] {8, 4}) {
      int size = 1 << bits;
      byte[] reds = new byte[size];
      byte[] greens = new byte[size];
      byte[] blues = new byte[size];
      for (int i = 0; i < size; i++) {
        reds[i] = (byte) (i * 37);
        greens[i] = (byte) (255 - i * 11);
        blues[i] = (byte) (i * 5 + 3);
      }
      IndexColorModel palette = new IndexColorModel(bits, size, reds, greens, blues);
      int type = bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_BYTE_BINARY;
      BufferedImage image = new BufferedImage(W, H, type, palette);
      byte[] expected = new byte[3 * W * H];
      for (int i = 0; i < W * H; i++) {
        int index = (i * 7) % size;
        image.getRaster().setSample(i % W, i / W, 0, index);
        expected[3 * i] = reds[index];
        expected[3 * i + 1] = greens[index];
        expected[3 * i + 2] = blues[index];
      }
      assertDecodes(TestImages.write(image, dir.resolve("p" + bits + ".png")), expected);
      assertDecodes(TestImages.write(image, dir.resolve("p" + bits + ".bmp")), expected);
    }
  }

  @Test
  void oneBitPngBecomesBlackAndWhite() throws IOException {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY);
    int[] values = new int[W * H];
    for (int i = 0; i < values.length; i++) {
      int bit = (i % 3 == 0) ? 1 : 0;
      image.getRaster().setSample(i % W, i / W, 0, bit);
      values[i] = bit * 255;
    }
    assertDecodes(TestImages.write(image, dir.resolve("b.png")), expectedFromGray(values));
  }

  @Test
  void sixteenBitGrayKeepsTopByte() throws IOException {
    int[] values = new int[W * H];
    int[] expected = new int[W * H];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i * 2731 + 255) % 65536;
      expected[i] = values[i] >> 8;
    }
    values[0] = 0xFFFF;
    expected[0] = 0xFF;
    values[1] = 0x00FF;
    expected[1] = 0;
    Path file = TestImages.write(TestImages.gray16(W, H, values), dir.resolve("g16.png"));
    assertDecodes(file, expectedFromGray(expected));
  }

  @Test
  void sixteenBitRgbKeepsTopByte() throws IOException {
    int[] samples = new int[3 * W * H];
    byte[] expected = new byte[3 * W * H];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (i * 4099 + 7) % 65536;
      expected[i] = (byte) (samples[i] >> 8);
    }
    Path file = TestImages.write(TestImages.rgb16(W, H, samples), dir.resolve("c16.png"));
    assertDecodes(file, expected);
  }

  @Test
  void packed565BmpScalesChannels() throws IOException {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_565_RGB);
    image.setRGB(0, 0, 0xFFFFFF);
    image.setRGB(1, 0, 0xFF0000);
    Path file = TestImages.write(image, dir.resolve("s.bmp"));
    RgbImage decoded = ImageDecoder.decode(file);
    byte[] rgb = decoded.rgb();
    assertEquals(255, rgb[0] & 0xFF);
    assertEquals(255, rgb[2] & 0xFF);
    assertEquals(255, rgb[3] & 0xFF);
    assertEquals(0, rgb[4] & 0xFF);
    assertEquals(0, rgb[6] & 0xFF);
  }

  @Test
  void jpegCloseToSource() throws IOException {
    int width = 32;
    int height = 24;
    int[] values = new int[width * height];
    int[] packed = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        values[y * width + x] = 40 + 4 * x + 2 * y;
        packed[y * width + x] = (100 + 3 * x) << 16 | (60 + 2 * y) << 8 | 128;
      }
    }
    Path gray = TestImages.write(TestImages.gray(width, height, values), dir.resolve("g.jpg"));
    Path rgb = TestImages.write(TestImages.rgb(width, height, packed), dir.resolve("c.JPEG"));

    byte[] decodedGray = ImageDecoder.decode(gray).rgb();
    byte[] decodedRgb = ImageDecoder.decode(rgb).rgb();
    byte[] expectedRgb = expectedFromPacked(packed);
    byte[] expectedGray = expectedFromGray(values);
    // JPEG at the writer's default quality (0.75) on a smooth ramp: errors of a few levels.
    for (int i = 0; i < expectedRgb.length; i++) {
      int grayError = Math.abs((decodedGray[i] & 0xFF) - (expectedGray[i] & 0xFF));
      int rgbError = Math.abs((decodedRgb[i] & 0xFF) - (expectedRgb[i] & 0xFF));
      assertTrue(grayError <= 8, "gray JPEG error " + grayError + " at byte " + i);
      assertTrue(rgbError <= 12, "RGB JPEG error " + rgbError + " at byte " + i);
    }
  }

  @Test
  void jpegWithBytesAfterEoiDecodes() throws IOException {
    Path file = TestImages.writeConstantGray(dir.resolve("x.jpg"), W, H, 90);
    Files.write(file, new byte[] {0, 0, 0, 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    assertEquals(90, ImageDecoder.decode(file).rgb()[0] & 0xFF, 2);
  }

  @Test
  void maskValuesTakeMaxOverChannels() throws IOException {
    int[] packed = {0xFF0000, 0x00FF00, 0x0000FF, 0x000000, 0x102030, 0x7F7F7F};
    Path file = TestImages.write(TestImages.rgb(3, 2, packed), dir.resolve("m.png"));
    GrayImage values = ImageDecoder.decodeMaskValues(file);
    assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0, 0x30, 0x7F},
        values.values());
    assertEquals(3, values.width());
    assertEquals(2, values.height());
  }

  private ImageDecodeException assertRejected(Path file, Problem problem) {
    ImageDecodeException e = assertThrows(ImageDecodeException.class,
        () -> ImageDecoder.decode(file));
    assertEquals(problem, e.problem(), e.getMessage());
    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(problem.description()), e.getMessage());
    return e;
  }

  private Path cut(Path source, String name, int newLength) throws IOException {
    byte[] bytes = Files.readAllBytes(source);
    return Files.write(dir.resolve(name), Arrays.copyOf(bytes, newLength));
  }

  private Path noisy(String name) {
    int width = 64;
    int height = 48;
    int[] packed = new int[width * height];
    Random random = new Random(5);
    for (int i = 0; i < packed.length; i++) {
      packed[i] = random.nextInt(1 << 24);
    }
    return TestImages.write(TestImages.rgb(width, height, packed), dir.resolve(name));
  }

  @Test
  void truncatedPngRejected() throws IOException {
    Path png = noisy("full.png");
    long size = Files.size(png);
    assertRejected(cut(png, "half.png", (int) size / 2), Problem.TRUNCATED);
    assertRejected(cut(png, "noiend.png", (int) size - 12), Problem.TRUNCATED);
    assertRejected(cut(png, "header.png", 20), Problem.TRUNCATED);
  }

  @Test
  void pngWithBadCrcRejected() throws IOException {
    Path png = noisy("full.png");
    byte[] bytes = Files.readAllBytes(png);
    bytes[bytes.length / 2] ^= 0x5A;
    assertRejected(Files.write(dir.resolve("flipped.png"), bytes), Problem.CORRUPT);
  }

  @Test
  void truncatedJpegRejected() throws IOException {
    Path jpg = noisy("full.jpg");
    long size = Files.size(jpg);
    assertRejected(cut(jpg, "half.jpg", (int) size / 2), Problem.TRUNCATED);
    assertRejected(cut(jpg, "noeoi.jpg", (int) size - 2), Problem.TRUNCATED);
    assertRejected(cut(jpg, "soi.jpg", 4), Problem.TRUNCATED);
  }

  @Test
  void jpegWithDamagedScanRejected() throws IOException {
    Path jpg = noisy("full.jpg");
    byte[] bytes = Files.readAllBytes(jpg);
    Random random = new Random(9);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
      bytes[i] = (byte) random.nextInt(0xFF);
    }
    assertRejected(Files.write(dir.resolve("damaged.jpg"), bytes), Problem.CORRUPT);
  }

  @Test
  void truncatedBmpRejected() throws IOException {
    Path bmp = noisy("full.bmp");
    long size = Files.size(bmp);
    assertRejected(cut(bmp, "half.bmp", (int) size / 2), Problem.TRUNCATED);
    assertRejected(cut(bmp, "header.bmp", 20), Problem.TRUNCATED);
  }

  @Test
  void nonImagesRejected() throws IOException {
    assertRejected(Files.write(dir.resolve("empty.png"), new byte[0]), Problem.NOT_AN_IMAGE);
    assertRejected(Files.writeString(dir.resolve("notes.png"), "not an image"),
        Problem.NOT_AN_IMAGE);
    assertRejected(dir.resolve("missing.png"), Problem.READ_FAILED);
  }

  @Test
  void gifRejectedAsUnsupported() throws IOException {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED);
    Path gif = dir.resolve("a.gif");
    assertTrue(ImageIO.write(image, "gif", gif.toFile()));
    ImageDecodeException e = assertRejected(gif, Problem.UNSUPPORTED_FORMAT);
    assertTrue(e.getMessage().contains("GIF"), e.getMessage());
  }

  @Test
  void cmykJpegRejectedAsUnsupported() throws IOException {
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, W, H, 4, null);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    } finally {
      writer.dispose();
    }
    Path file = Files.write(dir.resolve("cmyk.jpg"), bytes.toByteArray());
    ImageDecodeException e = assertRejected(file, Problem.UNSUPPORTED_FORMAT);
    assertTrue(e.getMessage().contains("CMYK"), e.getMessage());
  }

  @Test
  void probeFormatReadsSignatureOnly() throws IOException {
    Path png = TestImages.writeConstantGray(dir.resolve("a.bmp.png"), W, H, 1);
    assertEquals(ImageFormat.PNG, ImageDecoder.probeFormat(png));
    Path misnamed = Files.copy(png, dir.resolve("really-png.jpg"));
    assertEquals(ImageFormat.PNG, ImageDecoder.probeFormat(misnamed));
    assertThrows(ImageDecodeException.class,
        () -> ImageDecoder.probeFormat(Files.writeString(dir.resolve("t.bmp"), "text")));
  }
}
