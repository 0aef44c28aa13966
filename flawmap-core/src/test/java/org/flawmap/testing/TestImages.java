package org.flawmap.testing;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Small in-memory images and writers for tests. */
public final class TestImages {

  private TestImages() {}

  /** Creates an 8-bit gray image from row-major values 0..255. */
  public static BufferedImage gray(int width, int height, int[] values) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < values.length; i++) {
      data[i] = (byte) values[i];
    }
    return image;
  }

  /** Creates an 8-bit RGB image from row-major packed {@code 0xRRGGBB} values. */
  public static BufferedImage rgb(int width, int height, int[] packed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    image.setRGB(0, 0, width, height, packed, 0, width);
    return image;
  }

  /** Creates a 16-bit gray image from row-major values 0..65535. */
  public static BufferedImage gray16(int width, int height, int[] values) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    short[] data = ((DataBufferUShort) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < values.length; i++) {
      data[i] = (short) values[i];
    }
    return image;
  }

  /** Creates a 16-bit RGB image from row-major interleaved R, G, B values 0..65535. */
  public static BufferedImage rgb16(int width, int height, int[] interleaved) {
    ComponentColorModel model = new ComponentColorModel(
        ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16}, false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(width, height);
    raster.setPixels(0, 0, width, height, interleaved);
    return new BufferedImage(model, raster, false, null);
  }

  /** Creates a gray + alpha image from row-major interleaved gray, alpha values 0..255. */
  public static BufferedImage grayAlpha(int width, int height, int[] interleaved) {
    ComponentColorModel model = new ComponentColorModel(
        ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8, 8}, true, false,
        Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
    WritableRaster raster = model.createCompatibleWritableRaster(width, height);
    raster.setPixels(0, 0, width, height, interleaved);
    return new BufferedImage(model, raster, false, null);
  }

  /**
   * Writes {@code image} to {@code file} in the format of its extension (png, jpg, jpeg, bmp),
   * creating parent folders.
   */
  public static Path write(BufferedImage image, Path file) {
    String name = file.getFileName().toString();
    String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    if (format.equals("jpeg")) {
      format = "jpg";
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!ImageIO.write(image, format, file.toFile())) {
        throw new IllegalArgumentException(
            "ImageIO has no " + format + " writer for image type " + image.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes a gray PNG, BMP or JPEG of constant value {@code value}. */
  public static Path writeConstantGray(Path file, int width, int height, int value) {
    int[] values = new int[width * height];
    java.util.Arrays.fill(values, value);
    return write(gray(width, height, values), file);
  }

  /**
   * Writes a gray mask whose pixels inside the rectangle [x0, x1) × [y0, y1) are 255 and the
   * others 0.
   */
  public static Path writeRectMask(
      Path file, int width, int height, int x0, int y0, int x1, int y1) {
    int[] values = new int[width * height];
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        values[y * width + x] = 255;
      }
    }
    return write(gray(width, height, values), file);
  }
}
