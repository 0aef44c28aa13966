package org.flawmap.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.flawmap.image.ImageFormat;
import org.junit.jupiter.api.Test;

/** JPEG sizes read from the start of frame, without ImageIO. */
class ImageHeaderTest {

  /** Encodes a gray JPEG with ImageIO, which writes APP0 and the tables before the frame. */
  static byte[] jpeg(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "jpg", out), "no JPEG writer");
    return out.toByteArray();
  }

  /** Returns the offset of the SOF0 marker, walking the marker segments from SOI. */
  static int frameOffset(byte[] jpeg) {
    int pos = 2;
    while ((jpeg[pos + 1] & 0xFF) != 0xC0) {
      pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
    }
    return pos;
  }

  /** Returns {@code jpeg} with the frame's height and width set, as a damaged file may have. */
  static byte[] withFrameSize(byte[] jpeg, int width, int height) {
    byte[] out = jpeg.clone();
    int sof = frameOffset(out);
    out[sof + 5] = (byte) (height >> 8);
    out[sof + 6] = (byte) height;
    out[sof + 7] = (byte) (width >> 8);
    out[sof + 8] = (byte) width;
    return out;
  }

  @Test
  void jpegSizeMatchesEncodedImage() throws Exception {
    for (int[] size : new int[][] {{1, 1}, {37, 23}, {640, 480}}) {
      assertEquals(new ImageHeader.Size(ImageFormat.JPEG, size[0], size[1]),
          ImageHeader.probe(jpeg(size[0], size[1])).orElseThrow(), Arrays.toString(size));
    }
  }

  @Test
  void jpegSizeBeyondImageIoLimit() throws Exception {
    byte[] huge = withFrameSize(jpeg(16, 16), 65_535, 65_535);

    assertEquals(new ImageHeader.Size(ImageFormat.JPEG, 65_535, 65_535),
        ImageHeader.probe(huge).orElseThrow());
  }

  @Test
  void jpegWithoutFrameHasNoSize() throws Exception {
    byte[] soiEoi = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};
    byte[] scanFirst = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 8};
    byte[] full = jpeg(16, 16);
    byte[] cutInFrame = Arrays.copyOf(full, frameOffset(full) + 6);
    byte[] zeroHeight = withFrameSize(full, 16, 0);

    assertTrue(ImageHeader.jpegSize(soiEoi).isEmpty(), "SOI then EOI");
    assertTrue(ImageHeader.jpegSize(scanFirst).isEmpty(), "scan before any frame");
    assertTrue(ImageHeader.jpegSize(cutInFrame).isEmpty(), "file ends inside the frame");
    assertTrue(ImageHeader.jpegSize(zeroHeight).isEmpty(), "height 0");
  }
}
