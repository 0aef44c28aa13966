package org.flawmap.backbone.onnx.tfjs;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Test inputs for the backbone checks: RGB in [0, 1], as HWC for Keras and CHW for ONNX. */
final class TestImages {

  /** One image in both layouts. */
  record Image(String name, float[] hwc, float[] chw) {}

  private TestImages() {}

  /** Returns the magnetic tile dataset folder beside the checkout. */
  static Path magneticTileRoot() {
    return Path.of(System.getProperty("flawmap.home", ".")).resolve("../shared/data/magnetic_tile");
  }

  /** Builds an image from a function of (x, y, channel) with values in [0, 1]. */
  static Image synthetic(String name, int size, PixelFunction function) {
    float[] hwc = new float[3 * size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        for (int c = 0; c < 3; c++) {
          hwc[(y * size + x) * 3 + c] = (float) function.value(x, y, c);
        }
      }
    }
    return new Image(name, hwc, toChw(hwc, size, size));
  }

  /** Returns the first image (by file name) of each listed class folder under test/. */
  static List<Image> realImages(int size, String... classes) throws IOException {
    List<Image> images = new ArrayList<>();
    for (String className : classes) {
      Path folder = magneticTileRoot().resolve("test").resolve(className);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      Path first;
      try (Stream<Path> files = Files.list(folder)) {
        first = files.filter(p -> p.getFileName().toString().endsWith(".jpg"))
            .sorted().findFirst().orElse(null);
      }
      if (first != null) {
        images.add(load(first, size));
      }
    }
    return images;
  }

  /** Decodes and resizes bilinearly to size × size; any resize works since both sides share it. */
  static Image load(Path file, int size) throws IOException {
    BufferedImage source = ImageIO.read(file.toFile());
    if (source == null) {
      throw new IOException("no image decoder for " + file);
    }
    BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = resized.createGraphics();
    graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    graphics.drawImage(source, 0, 0, size, size, null);
    graphics.dispose();
    float[] hwc = new float[3 * size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = resized.getRGB(x, y);
        hwc[(y * size + x) * 3] = ((rgb >> 16) & 0xFF) / 255f;
        hwc[(y * size + x) * 3 + 1] = ((rgb >> 8) & 0xFF) / 255f;
        hwc[(y * size + x) * 3 + 2] = (rgb & 0xFF) / 255f;
      }
    }
    String name = file.getParent().getFileName() + "/" + file.getFileName();
    return new Image(name, hwc, toChw(hwc, size, size));
  }

  static float[] toChw(float[] hwc, int height, int width) {
    int channels = hwc.length / (height * width);
    float[] chw = new float[hwc.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          chw[(c * height + y) * width + x] = hwc[(y * width + x) * channels + c];
        }
      }
    }
    return chw;
  }

  /** Pixel value in [0, 1] of a synthetic image. */
  @FunctionalInterface
  interface PixelFunction {
    double value(int x, int y, int channel);
  }
}
