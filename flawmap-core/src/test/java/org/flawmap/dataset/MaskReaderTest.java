package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.flawmap.image.GrayImage;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskReaderTest {

  @TempDir Path dir;

  @Test
  void thresholdSplitsAtMidpoint() {
    byte[] values = {0, 1, 127, (byte) 128, (byte) 254, (byte) 255};
    Mask mask = MaskReader.binarise(new GrayImage(6, 1, values), MaskReader.DEFAULT_THRESHOLD);
    assertArrayEquals(new boolean[] {false, false, false, true, true, true}, mask.pixels());
    Mask nonzero = MaskReader.binarise(new GrayImage(6, 1, values), MaskReader.NONZERO_THRESHOLD);
    assertArrayEquals(new boolean[] {false, true, true, true, true, true}, nonzero.pixels());
  }

  @Test
  void invalidThresholdRejected() {
    GrayImage values = new GrayImage(1, 1, new byte[1]);
    assertThrows(IllegalArgumentException.class, () -> MaskReader.binarise(values, 0));
    assertThrows(IllegalArgumentException.class, () -> MaskReader.binarise(values, 256));
  }

  @Test
  void colourMaskUsesMaxChannel() throws IOException {
    int[] packed = {0xFF0000, 0x007F00, 0x000080, 0x404040};
    Path file = TestImages.write(TestImages.rgb(2, 2, packed), dir.resolve("m.png"));
    assertArrayEquals(new boolean[] {true, false, true, false}, MaskReader.read(file).pixels());
  }

  @Test
  void sixteenBitMaskUsesTopByte() throws IOException {
    int[] values = {0x8000, 0x7FFF, 0xFFFF, 0x00FF};
    Path file = TestImages.write(TestImages.gray16(4, 1, values), dir.resolve("m16.png"));
    assertArrayEquals(new boolean[] {true, false, true, false}, MaskReader.read(file).pixels());
  }

  @Test
  void sizeMismatchNamesBothFiles() {
    Path mask = TestImages.writeRectMask(dir.resolve("a_mask.png"), 5, 4, 0, 0, 2, 2);
    Path image = dir.resolve("a.png");
    DatasetException e = assertThrows(DatasetException.class,
        () -> MaskReader.readFor(mask, 128, image, 5, 3));
    assertTrue(e.getMessage().contains(mask.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(image.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("5×4"), e.getMessage());
    assertTrue(e.getMessage().contains("5×3"), e.getMessage());
  }

  @Test
  void matchingSizeReads() throws IOException {
    Path mask = TestImages.writeRectMask(dir.resolve("a_mask.bmp"), 5, 4, 1, 1, 3, 2);
    Mask read = MaskReader.readFor(mask, 128, dir.resolve("a.png"), 5, 4);
    assertEquals(2, read.countDefective());
    assertTrue(read.pixels()[1 * 5 + 1], "pixel (1, 1)");
  }
}
