package org.flawmap.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;

/** Seeded synthetic anomaly maps and masks with a few rectangular defect regions each. */
final class RandomImages {

  final List<AnomalyMap> maps = new ArrayList<>();
  final List<Mask> masks = new ArrayList<>();

  /**
   * Creates {@code count} images of {@code width × height}; about half are normal (null mask).
   * Defect pixels get {@code shift} added to their score so the metrics are not all 0.5.
   *
   * @param score draws one raw pixel score
   */
  static RandomImages generate(
      Random random, int count, int width, int height, DoubleSupplier score, double shift) {
    RandomImages images = new RandomImages();
    for (int i = 0; i < count; i++) {
      boolean anomalous = i % 2 == 0;
      Mask mask = anomalous ? randomMask(random, width, height) : null;
      float[] values = new float[width * height];
      for (int p = 0; p < values.length; p++) {
        boolean on = mask != null && mask.pixels()[p];
        values[p] = (float) (score.getAsDouble() + (on ? shift : 0));
      }
      images.maps.add(new AnomalyMap(width, height, values));
      images.masks.add(mask);
    }
    return images;
  }

  private static Mask randomMask(Random random, int width, int height) {
    boolean[] pixels = new boolean[width * height];
    int rectangles = 1 + random.nextInt(3);
    for (int r = 0; r < rectangles; r++) {
      int w = 1 + random.nextInt(Math.max(1, width / 3));
      int h = 1 + random.nextInt(Math.max(1, height / 3));
      int x0 = random.nextInt(width - w + 1);
      int y0 = random.nextInt(height - h + 1);
      for (int y = y0; y < y0 + h; y++) {
        for (int x = x0; x < x0 + w; x++) {
          pixels[y * width + x] = true;
        }
      }
    }
    return new Mask(width, height, pixels);
  }

  PixelMetrics pixelMetrics(int mantissaBits) {
    PixelMetrics metrics = new PixelMetrics(mantissaBits);
    for (int i = 0; i < maps.size(); i++) {
      metrics.add("image-" + i, maps.get(i), masks.get(i));
    }
    return metrics;
  }

  ExactPixelMetrics exact() {
    return new ExactPixelMetrics(maps, masks);
  }
}
