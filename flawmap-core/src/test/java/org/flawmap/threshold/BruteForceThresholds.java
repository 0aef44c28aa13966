package org.flawmap.threshold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.dataset.Mask;

/**
 * Brute-force threshold sweeps for the tests: every distinct validation score is tried as a
 * threshold and every count is taken by scanning all pixels. Ties resolve to the highest threshold,
 * as in the estimators.
 */
final class BruteForceThresholds {

  /** A threshold with its criterion value. */
  record Best(float threshold, double value) {}

  private BruteForceThresholds() {}

  /** Creates {@code count} images; even indices are anomalous with one or two rectangles. */
  static List<ValidationImage> randomValidation(
      Random random, int count, int width, int height, DoubleSupplier score, double shift) {
    List<ValidationImage> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean anomalous = i % 2 == 0;
      boolean[] pixels = new boolean[width * height];
      if (anomalous) {
        for (int r = 0; r < 1 + random.nextInt(2); r++) {
          int w = 1 + random.nextInt(width / 2);
          int h = 1 + random.nextInt(height / 2);
          int x0 = random.nextInt(width - w + 1);
          int y0 = random.nextInt(height - h + 1);
          for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
              pixels[y * width + x] = true;
            }
          }
        }
      }
      float[] values = new float[width * height];
      for (int p = 0; p < values.length; p++) {
        values[p] = (float) (score.getAsDouble() + (pixels[p] ? shift : 0));
      }
      AnomalyMap map = new AnomalyMap(width, height, values);
      images.add(
          anomalous
              ? ValidationImage.anomalous("val-" + i, map, new Mask(width, height, pixels))
              : ValidationImage.normal("val-" + i, map));
    }
    return images;
  }

  static Best f1(List<ValidationImage> images) {
    return sweep(images, t -> pooled(images, t).f1());
  }

  static Best youden(List<ValidationImage> images) {
    return sweep(
        images,
        t -> {
          long[] c = pooled(images, t).counts;
          return (double) c[0] / (c[0] + c[2]) - (double) c[1] / (c[1] + c[3]);
        });
  }

  static Best meanIou(List<ValidationImage> images) {
    return sweep(images, t -> meanIouAt(images, t));
  }

  /** Returns the lowest distinct score whose pooled FPR is at most target, or NaN if none. */
  static float lowestWithinFpr(List<ValidationImage> images, double target) {
    float[] thresholds = distinctScores(images);
    float lowest = Float.NaN;
    for (float t : thresholds) {
      long[] c = pooled(images, t).counts;
      if ((double) c[1] / (c[1] + c[3]) <= target) {
        lowest = t;
        break;
      }
    }
    return lowest;
  }

  /** Mean per-image IoU over images with defect pixels at threshold t. */
  static double meanIouAt(List<ValidationImage> images, float t) {
    double sum = 0;
    int n = 0;
    for (ValidationImage image : images) {
      if (!image.hasDefectPixels()) {
        continue;
      }
      long tp = 0;
      long fp = 0;
      long fn = 0;
      float[] values = image.anomalyMap().values();
      boolean[] mask = image.gtMask().pixels();
      for (int p = 0; p < values.length; p++) {
        boolean predicted = values[p] >= t;
        tp += predicted && mask[p] ? 1 : 0;
        fp += predicted && !mask[p] ? 1 : 0;
        fn += !predicted && mask[p] ? 1 : 0;
      }
      sum += (double) tp / (tp + fp + fn);
      n++;
    }
    return sum / n;
  }

  /** Pooled confusion counts {tp, fp, fn, tn} at threshold t, over labelled pixels. */
  static Pooled pooled(List<ValidationImage> images, float t) {
    long[] c = new long[4];
    for (ValidationImage image : images) {
      if (image.anomalous() && !image.hasDefectPixels()) {
        continue;
      }
      float[] values = image.anomalyMap().values();
      boolean[] mask = image.gtMask() == null ? null : image.gtMask().pixels();
      for (int p = 0; p < values.length; p++) {
        boolean predicted = values[p] >= t;
        boolean actual = mask != null && mask[p];
        c[predicted ? (actual ? 0 : 1) : (actual ? 2 : 3)]++;
      }
    }
    return new Pooled(c);
  }

  /** Pooled counts {tp, fp, fn, tn}. */
  record Pooled(long[] counts) {
    double f1() {
      return 2.0 * counts[0] / (2.0 * counts[0] + counts[1] + counts[2]);
    }
  }

  /** Distinct scores of all labelled pixels, ascending. */
  static float[] distinctScores(List<ValidationImage> images) {
    List<Float> all = new ArrayList<>();
    for (ValidationImage image : images) {
      for (float v : image.anomalyMap().values()) {
        all.add(v);
      }
    }
    float[] sorted = new float[all.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = all.get(i);
    }
    Arrays.sort(sorted);
    float[] distinct = new float[sorted.length];
    int n = 0;
    for (float v : sorted) {
      if (n == 0 || distinct[n - 1] != v) {
        distinct[n++] = v;
      }
    }
    return Arrays.copyOf(distinct, n);
  }

  private static Best sweep(List<ValidationImage> images, Criterion criterion) {
    float[] thresholds = distinctScores(images);
    Best best = null;
    for (int i = thresholds.length - 1; i >= 0; i--) {
      double value = criterion.at(thresholds[i]);
      if (best == null || value > best.value()) {
        best = new Best(thresholds[i], value);
      }
    }
    return best;
  }

  @FunctionalInterface
  private interface Criterion {
    double at(float threshold);
  }
}
