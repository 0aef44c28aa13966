package org.flawmap.report;

import java.awt.image.BufferedImage;
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
 */
public final class MapImages {

  private MapImages() {}

  /** Returns the heat-map colour of a normalised score in [0, 1] as 0xRRGGBB (a jet scale). */
  static int heatColour(double v) {
    double t = Math.min(1, Math.max(0, v));
    double r = clamp(1.5 - Math.abs(4 * t - 3));
    double g = clamp(1.5 - Math.abs(4 * t - 2));
    double b = clamp(1.5 - Math.abs(4 * t - 1));
    return ((int) Math.round(255 * r) << 16) | ((int) Math.round(255 * g) << 8)
        | (int) Math.round(255 * b);
  }

  private static double clamp(double v) {
    return Math.min(1, Math.max(0, v));
  }

  public static BufferedImage heatMap(AnomalyMap map, Calibration calibration) {
    BufferedImage out = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_INT_RGB);
    float[] v = map.values();
    for (int y = 0; y < map.height(); y++) {
      for (int x = 0; x < map.width(); x++) {
        out.setRGB(x, y, heatColour(calibration.normalise(v[y * map.width() + x])));
      }
    }
    return out;
  }

  public static BufferedImage mask(boolean[] mask, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
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
    int w = image.width();
    int h = image.height();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    byte[] rgb = image.rgb();
    float[] v = map.values();
    for (int i = 0; i < w * h; i++) {
      int heat = heatColour(calibration.normalise(v[i]));
      int r = blend(rgb[3 * i] & 0xff, (heat >> 16) & 0xff);
      int g = blend(rgb[3 * i + 1] & 0xff, (heat >> 8) & 0xff);
      int b = blend(rgb[3 * i + 2] & 0xff, heat & 0xff);
      int colour = (r << 16) | (g << 8) | b;
      if (gtMask != null && isEdge(gtMask, i, w, h)) {
        colour = 0x00ff00;
      }
      if (isEdge(predMask, i, w, h)) {
        colour = 0xff0000;
      }
      out.setRGB(i % w, i / w, colour);
    }
    return out;
  }

  private static int blend(int base, int heat) {
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

  public static void writePng(Path file, BufferedImage image) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
          }
        });
  }
}
