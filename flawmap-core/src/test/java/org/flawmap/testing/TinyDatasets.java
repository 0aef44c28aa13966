package org.flawmap.testing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Writes small synthetic datasets in the MVTec AD layout, for end-to-end tests of models.
 *
 * <p>Normal images are a smooth texture: a brownish base colour plus three random plane waves of
 * 1 to 4 cycles per image and amplitude 6 to 12 levels, plus 3×3 box-blurred noise of ±8
 * levels, so normal values stay within about 40 levels of the base. Defects are painted on
 * that texture and are far outside its range:
 *
 * <ul>
 *   <li>{@value #BRIGHT_BLOB}: a near-white ellipse;
 *   <li>{@value #DARK_BLOB}: a near-black ellipse;
 *   <li>{@value #SCRATCH}: a red line two pixels wide.
 * </ul>
 *
 * <p>Ellipse radii are 1/16 to 1/8 of the smaller side (4 to 8 pixels at 64×64), and scratches
 * are about half the smaller side long. Masks are 0 and 255, exactly the painted pixels. Every
 * image and defect comes from {@link Options#seed()}, so the same options write the same bytes.
 * All files are RGB PNG:
 *
 * <pre>
 * ROOT/train/good/000.png ...
 * ROOT/test/good/000.png ...
 * ROOT/test/&lt;defect&gt;/000.png ...
 * ROOT/ground_truth/&lt;defect&gt;/000_mask.png ...
 * </pre>
 */
public final class TinyDatasets {

  public static final String BRIGHT_BLOB = "bright_blob";
  public static final String DARK_BLOB = "dark_blob";
  public static final String SCRATCH = "scratch";

  private static final int[] BASE = {150, 128, 104};

  private TinyDatasets() {}

  /**
   * Settings of a synthetic dataset.
   *
   * @param product folder name of the dataset root, under the parent folder given to
   *     {@link #writeMvtec(Path, Options)}
   * @param width image width in pixels, at least 16
   * @param height image height in pixels, at least 16
   * @param trainCount number of normal training images
   * @param testGoodCount number of normal test images
   * @param defectTypes defect types to paint, any of {@value #BRIGHT_BLOB},
   *     {@value #DARK_BLOB}, {@value #SCRATCH}
   * @param defectsPerType number of test images of each defect type
   * @param seed seed of every random choice
   */
  public record Options(
      String product,
      int width,
      int height,
      int trainCount,
      int testGoodCount,
      List<String> defectTypes,
      int defectsPerType,
      long seed) {

    public Options {
      Objects.requireNonNull(product, "product");
      defectTypes = List.copyOf(defectTypes);
      if (width < 16 || height < 16) {
        throw new IllegalArgumentException(
            "image size must be at least 16×16, found %d×%d".formatted(width, height));
      }
      if (trainCount < 1 || testGoodCount < 0 || defectsPerType < 0) {
        throw new IllegalArgumentException(
            "counts must be trainCount >= 1, testGoodCount >= 0, defectsPerType >= 0");
      }
      for (String type : defectTypes) {
        if (!List.of(BRIGHT_BLOB, DARK_BLOB, SCRATCH).contains(type)) {
          throw new IllegalArgumentException("unknown synthetic defect type " + type);
        }
      }
    }

    /** 64×64, 10 train, 4 test good, 3 images of each of the three defect types, seed 7. */
    public static Options defaults() {
      return new Options("tiny", 64, 64, 10, 4, List.of(BRIGHT_BLOB, DARK_BLOB, SCRATCH), 3, 7L);
    }

    public Options withProduct(String value) {
      return new Options(value, width, height, trainCount, testGoodCount, defectTypes,
          defectsPerType, seed);
    }

    public Options withSize(int newWidth, int newHeight) {
      return new Options(product, newWidth, newHeight, trainCount, testGoodCount, defectTypes,
          defectsPerType, seed);
    }

    public Options withCounts(int train, int testGood, int perType) {
      return new Options(product, width, height, train, testGood, defectTypes, perType, seed);
    }

    public Options withDefectTypes(List<String> types) {
      return new Options(product, width, height, trainCount, testGoodCount, types,
          defectsPerType, seed);
    }

    public Options withSeed(long value) {
      return new Options(product, width, height, trainCount, testGoodCount, defectTypes,
          defectsPerType, value);
    }
  }

  /** Writes a dataset with {@link Options#defaults()}; returns its root. */
  public static Path writeMvtec(Path parent) {
    return writeMvtec(parent, Options.defaults());
  }

  /** Writes a dataset under {@code parent/<product>}; returns that root. */
  public static Path writeMvtec(Path parent, Options options) {
    Path root = parent.resolve(options.product());
    Random random = new Random(options.seed());
    int width = options.width();
    int height = options.height();

    for (int i = 0; i < options.trainCount(); i++) {
      TestImages.write(texture(width, height, random), root.resolve(name("train/good", i)));
    }
    for (int i = 0; i < options.testGoodCount(); i++) {
      TestImages.write(texture(width, height, random), root.resolve(name("test/good", i)));
    }
    for (String type : options.defectTypes()) {
      for (int i = 0; i < options.defectsPerType(); i++) {
        BufferedImage image = texture(width, height, random);
        boolean[] mask = paintDefect(image, type, random);
        TestImages.write(image, root.resolve(name("test/" + type, i)));
        int[] maskValues = new int[mask.length];
        for (int p = 0; p < mask.length; p++) {
          maskValues[p] = mask[p] ? 255 : 0;
        }
        Path maskFile = root.resolve("ground_truth/%s/%03d_mask.png".formatted(type, i));
        TestImages.write(TestImages.gray(width, height, maskValues), maskFile);
      }
    }
    return root;
  }

  private static String name(String folder, int index) {
    return "%s/%03d.png".formatted(folder, index);
  }

  /** Draws the normal texture described in the class comment. */
  static BufferedImage texture(int width, int height, Random random) {
    double[] field = new double[width * height];
    for (int wave = 0; wave < 3; wave++) {
      double cyclesX = 1 + random.nextInt(4);
      double cyclesY = random.nextInt(4);
      double phase = random.nextDouble() * 2 * Math.PI;
      double amplitude = 6 + 6 * random.nextDouble();
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double angle = 2 * Math.PI * (cyclesX * x / width + cyclesY * y / height) + phase;
          field[y * width + x] += amplitude * Math.sin(angle);
        }
      }
    }
    double[] noise = new double[width * height];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (random.nextDouble() * 2 - 1) * 8;
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double value = field[y * width + x] + boxBlur(noise, width, height, x, y);
        for (int c = 0; c < 3; c++) {
          int v = (int) Math.round(BASE[c] + value);
          bgr[3 * (y * width + x) + (2 - c)] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return image;
  }

  private static double boxBlur(double[] values, int width, int height, int x, int y) {
    double sum = 0;
    int count = 0;
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx;
        int yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < width && yy < height) {
          sum += values[yy * width + xx];
          count++;
        }
      }
    }
    return sum / count;
  }

  /** Paints one defect of {@code type} on {@code image}; returns the painted pixels. */
  static boolean[] paintDefect(BufferedImage image, String type, Random random) {
    if (type.equals(SCRATCH)) {
      boolean[] mask = scratchMask(image.getWidth(), image.getHeight(), random);
      fill(image, mask, 0xE63C28);
      return mask;
    }
    boolean[] mask = blobMask(image.getWidth(), image.getHeight(), random);
    fill(image, mask, type.equals(BRIGHT_BLOB) ? 0xFAFAF0 : 0x0F0F14);
    return mask;
  }

  /** Marks a line two pixels wide and half the smaller side long, at a random angle. */
  private static boolean[] scratchMask(int width, int height, Random random) {
    double angle = random.nextDouble() * Math.PI;
    double half = Math.min(width, height) / 4.0;
    double cx = width / 2.0 + (random.nextDouble() - 0.5) * width / 4.0;
    double cy = height / 2.0 + (random.nextDouble() - 0.5) * height / 4.0;

    boolean[] mask = new boolean[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double along = dx * Math.cos(angle) + dy * Math.sin(angle);
        double across = -dx * Math.sin(angle) + dy * Math.cos(angle);
        mask[y * width + x] = Math.abs(along) <= half && Math.abs(across) <= 1.0;
      }
    }
    return mask;
  }

  /** Marks an ellipse with radii of 1/16 to 1/8 of the smaller side, away from the border. */
  private static boolean[] blobMask(int width, int height, Random random) {
    int side = Math.min(width, height);
    double rx = side / 16.0 + random.nextDouble() * side / 16.0;
    double ry = side / 16.0 + random.nextDouble() * side / 16.0;
    double margin = side / 8.0 + 1;
    double cx = margin + random.nextDouble() * (width - 2 * margin);
    double cy = margin + random.nextDouble() * (height - 2 * margin);

    boolean[] mask = new boolean[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double u = (x + 0.5 - cx) / rx;
        double v = (y + 0.5 - cy) / ry;
        mask[y * width + x] = u * u + v * v <= 1.0;
      }
    }
    return mask;
  }

  private static void fill(BufferedImage image, boolean[] mask, int rgb) {
    int width = image.getWidth();
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        image.setRGB(i % width, i / width, rgb);
      }
    }
  }
}
