package org.flawmap.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Copies a decoded {@link BufferedImage} into an {@link RgbImage} by reading the raster's data
 * buffer directly. {@link BufferedImage#getRGB} is avoided for two reasons: it costs a virtual
 * call and a colour conversion per pixel, and for gray colour spaces it converts linear gray to
 * sRGB, which changes the stored values.
 *
 * <p>Stored sample values are copied as they are: embedded colour profiles and gamma are
 * ignored, alpha is dropped without compositing, and 16-bit samples keep their top 8 bits.
 */
final class RasterConverter {

  private RasterConverter() {}

  /** An image layout that this class does not convert, with the reason for the message. */
  static final class UnsupportedLayoutException extends Exception {
    UnsupportedLayoutException(String message) {
      super(message);
    }
  }

  static RgbImage toRgb(BufferedImage image) throws UnsupportedLayoutException {
    ColorModel colorModel = image.getColorModel();
    Raster raster = image.getRaster();
    if (colorModel instanceof IndexColorModel palette) {
      return fromIndexed(raster, palette);
    }
    if (colorModel instanceof ComponentColorModel
        && raster.getSampleModel() instanceof ComponentSampleModel) {
      return fromComponents(raster, colorModel);
    }
    if (colorModel instanceof DirectColorModel
        && colorModel.getColorSpace().isCS_sRGB()) {
      return fromPackedRgb(image);
    }
    throw new UnsupportedLayoutException(
        "unsupported pixel layout (%s with %s)"
            .formatted(
                colorModel.getClass().getSimpleName(),
                raster.getSampleModel().getClass().getSimpleName()));
  }

  /**
   * Converts gray, gray + alpha, RGB and RGBA images with 8- or 16-bit samples, in any band
   * order or banking that a {@link ComponentSampleModel} describes.
   */
  private static RgbImage fromComponents(Raster raster, ColorModel colorModel)
      throws UnsupportedLayoutException {
    int colorSpaceType = colorModel.getColorSpace().getType();
    int colorBands = colorModel.getNumColorComponents();
    boolean gray = colorSpaceType == ColorSpace.TYPE_GRAY && colorBands == 1;
    boolean rgb = colorSpaceType == ColorSpace.TYPE_RGB && colorBands == 3;
    if (!gray && !rgb) {
      throw new UnsupportedLayoutException(describeColorSpace(colorSpaceType, colorBands));
    }

    ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
    DataBuffer buffer = raster.getDataBuffer();
    int width = raster.getWidth();
    int height = raster.getHeight();
    int originX = raster.getMinX() - raster.getSampleModelTranslateX();
    int originY = raster.getMinY() - raster.getSampleModelTranslateY();
    int pixelStride = model.getPixelStride();
    int scanlineStride = model.getScanlineStride();
    byte[] out = new byte[3 * width * height];

    for (int c = 0; c < 3; c++) {
      int band = gray ? 0 : c;
      int bank = model.getBankIndices()[band];
      int base = buffer.getOffsets()[bank] + model.getBandOffsets()[band];
      if (buffer instanceof DataBufferByte bytes) {
        copyBand(bytes.getData(bank), base, originX, originY, pixelStride, scanlineStride,
            width, height, out, c);
      } else if (buffer instanceof DataBufferUShort shorts) {
        copyBandTop8(shorts.getData(bank), base, originX, originY, pixelStride,
            scanlineStride, width, height, out, c);
      } else {
        throw new UnsupportedLayoutException(
            "unsupported sample type (data buffer type %d)".formatted(buffer.getDataType()));
      }
    }
    return new RgbImage(width, height, out);
  }

  private static void copyBand(byte[] data, int base, int originX, int originY,
      int pixelStride, int scanlineStride, int width, int height, byte[] out, int channel) {
    for (int y = 0; y < height; y++) {
      int in = base + (originY + y) * scanlineStride + originX * pixelStride;
      int o = 3 * y * width + channel;
      for (int x = 0; x < width; x++) {
        out[o] = data[in];
        in += pixelStride;
        o += 3;
      }
    }
  }

  private static void copyBandTop8(short[] data, int base, int originX, int originY,
      int pixelStride, int scanlineStride, int width, int height, byte[] out, int channel) {
    for (int y = 0; y < height; y++) {
      int in = base + (originY + y) * scanlineStride + originX * pixelStride;
      int o = 3 * y * width + channel;
      for (int x = 0; x < width; x++) {
        out[o] = (byte) ((data[in] & 0xFFFF) >>> 8);
        in += pixelStride;
        o += 3;
      }
    }
  }

  /** Converts palette images of 1 to 8 bits per index; palette alpha is dropped. */
  private static RgbImage fromIndexed(Raster raster, IndexColorModel palette)
      throws UnsupportedLayoutException {
    int size = palette.getMapSize();
    byte[] reds = new byte[size];
    byte[] greens = new byte[size];
    byte[] blues = new byte[size];
    palette.getReds(reds);
    palette.getGreens(greens);
    palette.getBlues(blues);

    int width = raster.getWidth();
    int height = raster.getHeight();
    int[] row = new int[width];
    byte[] out = new byte[3 * width * height];
    for (int y = 0; y < height; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
      int o = 3 * y * width;
      for (int x = 0; x < width; x++) {
        int index = row[x];
        if (index >= size) {
          throw new UnsupportedLayoutException(
              "palette index %d at (%d, %d) is outside the %d-entry palette"
                  .formatted(index, x, y, size));
        }
        out[o] = reds[index];
        out[o + 1] = greens[index];
        out[o + 2] = blues[index];
        o += 3;
      }
    }
    return new RgbImage(width, height, out);
  }

  /**
   * Converts packed sRGB pixels (BMP 16- and 32-bit). For an sRGB {@link DirectColorModel},
   * {@code getRGB} only shifts and scales the bit fields, so a row-wise call is exact and cheap.
   */
  private static RgbImage fromPackedRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] row = new int[width];
    byte[] out = new byte[3 * width * height];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      int o = 3 * y * width;
      for (int x = 0; x < width; x++) {
        int argb = row[x];
        out[o] = (byte) (argb >>> 16);
        out[o + 1] = (byte) (argb >>> 8);
        out[o + 2] = (byte) argb;
        o += 3;
      }
    }
    return new RgbImage(width, height, out);
  }

  private static String describeColorSpace(int colorSpaceType, int colorBands) {
    if (colorSpaceType == ColorSpace.TYPE_CMYK || colorSpaceType == ColorSpace.TYPE_4CLR) {
      return "CMYK images are not supported because converting CMYK to RGB needs the colour"
          + " profile the file was made for; convert the file to RGB";
    }
    if (colorSpaceType == ColorSpace.TYPE_YCbCr) {
      return "YCbCr images without an RGB conversion are not supported; convert the file to RGB";
    }
    return "unsupported colour space (type %d with %d colour channels); convert the file to RGB"
        .formatted(colorSpaceType, colorBands);
  }
}
