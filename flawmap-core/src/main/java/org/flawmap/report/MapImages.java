package org.flawmap.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.image.RgbImage;
import org.flawmap.model.Calibration;

/**
 * Pictures of anomaly maps for people to check: a heat map of the normalised scores, the binary
 * predicted mask, and an overlay of both on the image. The heat map uses normalised scores, so
 * the pixel threshold is always the middle of the colour scale.
 *
 * <p>A normalised score is quantised to one of {@value #LEVELS} levels, and each level has its
 * colour in a fixed jet palette, as with OpenCV's {@code applyColorMap}, which colours 8-bit
 * images (OpenCV 4.5 documentation). Heat maps are therefore written as 8-bit palette PNG files,
 * which have a third of the bytes of an RGB file to encode and to store.
 */
public final class MapImages {

  /** Levels of the heat-map palette: level {@code k} shows the normalised score {@code k / 255}. */
  public static final int LEVELS = 256;

  /** Colour (0xRRGGBB) of each level. */
  private static final int[] PALETTE = palette();

  private static final IndexColorModel COLOUR_MODEL = colourModel();

  private MapImages() {}

  private static int[] palette() {
    int[] colours = new int[LEVELS];
    for (int level = 0; level < LEVELS; level++) {
      colours[level] = heatColour(level / (double) (LEVELS - 1));
    }
    return colours;
  }

  private static IndexColorModel colourModel() {
    byte[] r = new byte[LEVELS];
    byte[] g = new byte[LEVELS];
    byte[] b = new byte[LEVELS];
    for (int level = 0; level < LEVELS; level++) {
      r[level] = (byte) (PALETTE[level] >> 16);
      g[level] = (byte) (PALETTE[level] >> 8);
      b[level] = (byte) PALETTE[level];
    }
    return new IndexColorModel(8, LEVELS, r, g, b);
  }

  /**
   * Returns the palette level of a normalised score: {@code round(255 · clamp(v, 0, 1))}, and 0
   * for NaN.
   */
  static int heatLevel(double v) {
    return roundHalfUp((LEVELS - 1) * clamp(v));
  }

  /**
   * Returns the jet colour of a normalised score in [0, 1] as 0xRRGGBB, unquantised. The
   * palette contains its values at the levels.
   */
  static int heatColour(double v) {
    double t = clamp(v);
    double r = clamp(1.5 - Math.abs(4 * t - 3));
    double g = clamp(1.5 - Math.abs(4 * t - 2));
    double b = clamp(1.5 - Math.abs(4 * t - 1));
    return (roundHalfUp(255 * r) << 16) | (roundHalfUp(255 * g) << 8) | roundHalfUp(255 * b);
  }

  /**
   * Returns {@code Math.round(x)} for {@code 0 ≤ x < 2³⁰}: the integer part, plus one when the
   * fraction is at least one half. Subtracting a double's integer part and doubling the
   * fraction are both exact, so {@code (int) (2 · fraction)} is 1 exactly when the fraction is
   * at least one half.
   */
  static int roundHalfUp(double x) {
    int whole = (int) x;
    return whole + (int) ((x - whole) * 2);
  }

  /**
   * Clamps to [0, 1], as {@code Math.min(1, Math.max(0, v))} does for the colours: NaN stays
   * NaN, and -0.0, which that form turns into 0.0, gives the same colour either way. In a
   * one-off timing of 300 × 300 maps on the benchmark machine, the comparisons ran about 1.7
   * times as fast as {@code Math.min} and {@code Math.max}.
   */
  private static double clamp(double v) {
    if (v < 0) {
      return 0;
    }
    return v > 1 ? 1 : v;
  }

  /**
   * Blended channel values {@code round(0.6 base + 0.4 heat)}, indexed by
   * {@code base << 8 | heat}: a table of the same arithmetic, so overlays stay exactly the same
   * while the per-pixel {@code Math.round} goes away.
   */
  private static final byte[] BLEND = blendTable();

  private static byte[] blendTable() {
    byte[] table = new byte[256 * 256];
    for (int base = 0; base < 256; base++) {
      for (int heat = 0; heat < 256; heat++) {
        table[base << 8 | heat] = (byte) blend(base, heat);
      }
    }
    return table;
  }

  /**
   * Returns the palette level of every map value, row-major. The loop spells out {@link
   * Calibration#normalise} without its clamp, which {@link #heatLevel} repeats, so the levels
   * are those of {@code heatLevel(calibration.normalise(v))}.
   */
  public static byte[] heatLevels(AnomalyMap map, Calibration calibration) {
    float[] v = map.values();
    byte[] levels = new byte[v.length];
    double threshold = calibration.pixelThreshold();
    double range = calibration.normMax() - calibration.normMin();
    for (int i = 0; i < v.length; i++) {
      levels[i] = (byte) heatLevel((v[i] - threshold) / range + 0.5);
    }
    return levels;
  }

  /** Returns the heat map as an 8-bit palette image. */
  public static BufferedImage heatMap(AnomalyMap map, Calibration calibration) {
    return heatMap(heatLevels(map, calibration), map.width(), map.height());
  }

  /** Returns the heat map of levels from {@link #heatLevels}, as an 8-bit palette image. */
  public static BufferedImage heatMap(byte[] levels, int width, int height) {
    BufferedImage out =
        new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, COLOUR_MODEL);
    byte[] data = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(levels, 0, data, 0, width * height);
    return out;
  }

  /** Returns the packed RGB pixels of a {@code TYPE_INT_RGB} image, shared with the image. */
  private static int[] pixels(BufferedImage image) {
    return ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
  }

  public static BufferedImage mask(boolean[] mask, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < mask.length; i++) {
      data[i] = mask[i] ? (byte) 255 : 0;
    }
    return out;
  }

  /**
   * Blends the heat map into the image at 40% and draws the predicted mask's outline in red and,
   * when given, the ground truth's outline in green.
   */
  public static BufferedImage overlay(
      RgbImage image, AnomalyMap map, boolean[] predMask, boolean[] gtMask,
      Calibration calibration) {
    return overlay(image, heatLevels(map, calibration), predMask, gtMask);
  }

  /** Draws {@link #overlay} with the palette colours of levels from {@link #heatLevels}. */
  public static BufferedImage overlay(
      RgbImage image, byte[] heatLevels, boolean[] predMask, boolean[] gtMask) {
    int w = image.width();
    int h = image.height();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] pixels = pixels(out);
    byte[] rgb = image.rgb();
    for (int i = 0; i < w * h; i++) {
      int heat = PALETTE[heatLevels[i] & 0xff];
      int r = BLEND[(rgb[3 * i] & 0xff) << 8 | (heat >> 16) & 0xff] & 0xff;
      int g = BLEND[(rgb[3 * i + 1] & 0xff) << 8 | (heat >> 8) & 0xff] & 0xff;
      int b = BLEND[(rgb[3 * i + 2] & 0xff) << 8 | heat & 0xff] & 0xff;
      int colour = (r << 16) | (g << 8) | b;
      if (gtMask != null && isEdge(gtMask, i, w, h)) {
        colour = 0x00ff00;
      }
      if (isEdge(predMask, i, w, h)) {
        colour = 0xff0000;
      }
      pixels[i] = colour;
    }
    return out;
  }

  static int blend(int base, int heat) {
    return (int) Math.round(0.6 * base + 0.4 * heat);
  }

  /** Returns whether a mask pixel lies on the border of its region (4-neighbourhood). */
  private static boolean isEdge(boolean[] mask, int i, int w, int h) {
    if (!mask[i]) {
      return false;
    }
    int x = i % w;
    int y = i / w;
    return x == 0 || y == 0 || x == w - 1 || y == h - 1
        || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w];
  }

  /**
   * PNG compression quality. JDK 17's PNG writer turns a higher quality into a lower deflate
   * level: 0.8 encoded a 400 × 300 RGB heat map in about 30% less time than the default, for a
   * 14% larger file (a one-off measurement on the 2-core benchmark machine). The pixels are
   * the same, PNG being lossless.
   */
  private static final float PNG_QUALITY = 0.8f;

  /**
   * Writes a PNG file atomically ({@link AtomicFiles}): with {@link PngEncoder} for RGB and
   * gray images, the kinds that predict writes per image, and with ImageIO otherwise.
   */
  public static void writePng(Path file, BufferedImage image) throws IOException {
    if (PngEncoder.supports(image)) {
      byte[] png = PngEncoder.encode(image);
      AtomicFiles.write(file, out -> out.write(png));
      return;
    }
    AtomicFiles.write(
        file,
        out -> {
          var writers = ImageIO.getImageWritersByFormatName("png");
          if (!writers.hasNext()) {
            throw new IOException("no PNG writer in this Java runtime");
          }
          javax.imageio.ImageWriter writer = writers.next();
          try (var stream = ImageIO.createImageOutputStream(out)) {
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(PNG_QUALITY);
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
          } finally {
            writer.dispose();
          }
        });
  }
}
