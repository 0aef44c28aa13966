package org.flawmap.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNG files of {@link PngEncoder} read back, with ImageIO, to the pixels written. */
class PngEncoderTest {

  private static final int[][] SIZES = {{1, 1}, {3, 5}, {17, 2}, {224, 224}, {401, 97}};

  private static BufferedImage image(int type, int w, int h, Random random) {
    BufferedImage image = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Half smooth gradient, half noise, so that both the filter and deflate get work.
        int v = x < w / 2 ? (x + 2 * y) & 0xff : random.nextInt(256);
        int rgb = type == BufferedImage.TYPE_BYTE_GRAY
            ? v * 0x010101
            : (v << 16) | (random.nextInt(256) << 8) | (255 - v);
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  @Test
  void rgbAndGrayReadBackExactly() throws Exception {
    Random random = new Random(4);
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY}) {
      for (int[] size : SIZES) {
        BufferedImage written = image(type, size[0], size[1], random);

        BufferedImage read =
            ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(written)));

        String label = "type " + type + ", " + size[0] + "x" + size[1];
        assertEquals(size[0], read.getWidth(), label);
        assertEquals(size[1], read.getHeight(), label);
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
          assertEquals(1, read.getRaster().getNumBands(), label);
          int[] expected = written.getRaster().getSamples(0, 0, size[0], size[1], 0,
              (int[]) null);
          assertArrayEquals(expected,
              read.getRaster().getSamples(0, 0, size[0], size[1], 0, (int[]) null), label);
        } else {
          assertArrayEquals(pixels(written), pixels(read), label);
        }
      }
    }
  }

  @Test
  void paletteReadsBackExactly() throws Exception {
    Random random = new Random(6);
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    random.nextBytes(r);
    random.nextBytes(g);
    random.nextBytes(b);
    IndexColorModel palette = new IndexColorModel(8, 256, r, g, b);
    for (int[] size : SIZES) {
      BufferedImage written =
          new BufferedImage(size[0], size[1], BufferedImage.TYPE_BYTE_INDEXED, palette);
      byte[] indices = ((DataBufferByte) written.getRaster().getDataBuffer()).getData();
      random.nextBytes(indices);

      byte[] png = PngEncoder.encode(written);
      BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));

      String label = size[0] + "x" + size[1];
      assertEquals(3, png[25], label + ": colour type in IHDR");
      assertArrayEquals(pixels(written), pixels(read), label);
    }
  }

  @Test
  void smallOrTransparentPaletteGoesThroughImageIo() {
    IndexColorModel small =
        new IndexColorModel(8, 2, new byte[] {0, -1}, new byte[] {0, -1}, new byte[] {0, -1});
    IndexColorModel transparent = new IndexColorModel(8, 256, new byte[256], new byte[256],
        new byte[256], 0);

    assertFalse(PngEncoder.supports(
        new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, small)));
    assertFalse(PngEncoder.supports(
        new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, transparent)));
  }

  @Test
  void otherImagesGoThroughImageIo(@TempDir Path tmp) throws Exception {
    BufferedImage whole = image(BufferedImage.TYPE_INT_RGB, 40, 30, new Random(5));
    BufferedImage part = whole.getSubimage(5, 4, 20, 10);
    BufferedImage argb = new BufferedImage(6, 6, BufferedImage.TYPE_INT_ARGB);
    assertTrue(PngEncoder.supports(whole));
    assertFalse(PngEncoder.supports(part));
    assertFalse(PngEncoder.supports(argb));
    assertThrows(IllegalArgumentException.class, () -> PngEncoder.encode(part));

    Path file = tmp.resolve("part.png");
    MapImages.writePng(file, part);

    assertArrayEquals(pixels(part), pixels(ImageIO.read(file.toFile())));
  }
}
