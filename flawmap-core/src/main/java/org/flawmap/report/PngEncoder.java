package org.flawmap.report;

import java.awt.Transparency;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder for the three kinds of picture that {@code predict} writes per image: 8-bit RGB
 * ({@code TYPE_INT_RGB}, overlays), 8-bit palette ({@code TYPE_BYTE_INDEXED} with 256 colours,
 * heat maps) and 8-bit gray ({@code TYPE_BYTE_GRAY}, masks). It exists for speed. JDK 17's
 * writer tries every PNG filter on every row and picks one. With that writer, predict spent
 * several times the backbone's time per image on writing its three pictures.
 *
 * <p>This encoder uses one filter for every row, "Up" (type 2: each byte minus the byte above
 * it, PNG specification section 9.2), which suits the smooth maps and the masks, and the
 * palette indices too, because the heat palette is ordered by score. It uses the fastest
 * deflate level. The pixels read back are those of the image, PNG being lossless.
 */
final class PngEncoder {

  private static final byte[] SIGNATURE = {(byte) 137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
  private static final int COLOUR_GRAY = 0;
  private static final int COLOUR_RGB = 2;
  private static final int COLOUR_PALETTE = 3;
  /** Filter type byte that starts every scanline: "Up". */
  private static final byte FILTER_UP = 2;

  private PngEncoder() {}

  /**
   * Returns whether {@link #encode} takes this image: RGB, gray, or an opaque palette of 256
   * colours (so that every byte is a valid index), with its pixels alone in its buffer, row
   * after row, as a new {@code BufferedImage} has them (not a sub-image).
   */
  static boolean supports(BufferedImage image) {
    int type = image.getType();
    if (type == BufferedImage.TYPE_BYTE_INDEXED) {
      if (!(image.getColorModel() instanceof IndexColorModel palette)
          || palette.getPixelSize() != 8
          || palette.getMapSize() != 256
          || palette.getTransparency() != Transparency.OPAQUE) {
        return false;
      }
    } else if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_BYTE_GRAY) {
      return false;
    }
    WritableRaster raster = image.getRaster();
    SampleModel model = raster.getSampleModel();
    int stride = model instanceof SinglePixelPackedSampleModel packed
        ? packed.getScanlineStride()
        : model instanceof ComponentSampleModel component ? component.getScanlineStride() : -1;
    return raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer().getOffset() == 0
        && stride == image.getWidth();
  }

  /**
   * Returns the PNG file of {@code image}.
   *
   * @throws IllegalArgumentException for an image type that {@link #supports} rejects
   */
  static byte[] encode(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    boolean rgb = image.getType() == BufferedImage.TYPE_INT_RGB;
    if (!supports(image)) {
      throw new IllegalArgumentException(
          ("PngEncoder takes whole TYPE_INT_RGB, TYPE_BYTE_GRAY and opaque 256-colour"
                  + " TYPE_BYTE_INDEXED images, found type %d;"
                  + " write other images with MapImages.writePng")
              .formatted(image.getType()));
    }
    int rowBytes = rgb ? 3 * w : w;
    byte[] raw = new byte[h * (rowBytes + 1)];
    byte[] previous = new byte[rowBytes];
    byte[] current = new byte[rowBytes];
    for (int y = 0; y < h; y++) {
      if (rgb) {
        unpackRgb(((DataBufferInt) image.getRaster().getDataBuffer()).getData(), y * w, w,
            current);
      } else {
        // Gray values and palette indices alike: one byte a pixel.
        byte[] bytes = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(bytes, y * w, current, 0, w);
      }
      int start = y * (rowBytes + 1);
      raw[start] = FILTER_UP;
      filterUp(current, previous, raw, start + 1);
      byte[] swap = previous;
      previous = current;
      current = swap;
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
    out.writeBytes(SIGNATURE);
    byte[] header = new byte[13];
    putInt(header, 0, w);
    putInt(header, 4, h);
    header[8] = 8;
    boolean indexed = image.getType() == BufferedImage.TYPE_BYTE_INDEXED;
    int colourType = COLOUR_GRAY;
    if (rgb) {
      colourType = COLOUR_RGB;
    } else if (indexed) {
      colourType = COLOUR_PALETTE;
    }
    header[9] = (byte) colourType;
    chunk(out, "IHDR", header, header.length);
    if (indexed) {
      byte[] palette = palette((IndexColorModel) image.getColorModel());
      chunk(out, "PLTE", palette, palette.length);
    }
    byte[] compressed = deflate(raw);
    chunk(out, "IDAT", compressed, compressed.length);
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  /** Returns the PLTE chunk's data: R, G and B of each palette entry. */
  private static byte[] palette(IndexColorModel model) {
    int size = model.getMapSize();
    byte[] out = new byte[3 * size];
    for (int i = 0; i < size; i++) {
      out[3 * i] = (byte) model.getRed(i);
      out[3 * i + 1] = (byte) model.getGreen(i);
      out[3 * i + 2] = (byte) model.getBlue(i);
    }
    return out;
  }

  /** Writes the R, G and B bytes of {@code w} packed 0xRRGGBB pixels from {@code offset}. */
  private static void unpackRgb(int[] pixels, int offset, int w, byte[] row) {
    for (int x = 0; x < w; x++) {
      int p = pixels[offset + x];
      row[3 * x] = (byte) (p >> 16);
      row[3 * x + 1] = (byte) (p >> 8);
      row[3 * x + 2] = (byte) p;
    }
  }

  /** Writes {@code current - previous}, byte by byte modulo 256, to {@code out[at..]}. */
  private static void filterUp(byte[] current, byte[] previous, byte[] out, int at) {
    for (int i = 0; i < current.length; i++) {
      out[at + i] = (byte) (current[i] - previous[i]);
    }
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
      byte[] buffer = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** Writes one chunk: length, type, data and the CRC-32 of type and data. */
  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    byte[] word = new byte[4];
    putInt(word, 0, length);
    out.writeBytes(word);
    out.writeBytes(typeBytes);
    out.write(data, 0, length);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data, 0, length);
    putInt(word, 0, (int) crc.getValue());
    out.writeBytes(word);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
