package org.flawmap.djl.fcdd;

import java.util.List;
import java.util.Random;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Synthetic backbone features of a 96 × 96 input with three stages (4, 6 and 8 channels at
 * strides 4, 8 and 16). Every channel of a normal image is a fixed linear mix of three smooth
 * random fields plus a little white noise, so normal features lie near a 3-dimensional subspace
 * and vary smoothly in space. A defect is a bright disk that adds 2 to every channel inside it,
 * which is not how the training pseudo-anomalies are made: those are pasted rectangles.
 */
final class SyntheticFeatures {

  static final int SIZE = 96;
  static final BackboneInfo BACKBONE =
      new BackboneInfo(
          "synthetic", "none", SIZE, SIZE, new float[] {0, 0, 0}, new float[] {1, 1, 1},
          List.of(new StageInfo("s4", 4, 4), new StageInfo("s8", 6, 8),
              new StageInfo("s16", 8, 16)));
  private static final int FIELDS = 3;
  private static final int WAVES = 3;

  /** One image: its features and its ground-truth mask (SIZE × SIZE, row-major). */
  record Image(FeatureMap[] features, boolean[] mask) {}

  private final float[][][] mix = new float[3][][];

  SyntheticFeatures() {
    Random random = new Random(99);
    for (int s = 0; s < 3; s++) {
      int channels = BACKBONE.stages().get(s).channels();
      mix[s] = new float[channels][FIELDS];
      for (int c = 0; c < channels; c++) {
        for (int f = 0; f < FIELDS; f++) {
          mix[s][c][f] = (float) random.nextGaussian();
        }
      }
    }
  }

  /** Returns a normal image, or one with a disk of {@code radius} pixels when radius > 0. */
  Image image(long seed, double radius) {
    Random random = new Random(seed);
    double[][] wave = new double[FIELDS * WAVES][4];
    for (double[] w : wave) {
      double angle = random.nextDouble() * 2 * Math.PI;
      double frequency = 2 * Math.PI / (30 + 40 * random.nextDouble());
      w[0] = frequency * Math.cos(angle);
      w[1] = frequency * Math.sin(angle);
      w[2] = random.nextDouble() * 2 * Math.PI;
      w[3] = 0.5 + random.nextDouble();
    }
    double cx = 20 + random.nextDouble() * (SIZE - 40);
    double cy = 20 + random.nextDouble() * (SIZE - 40);

    FeatureMap[] features = new FeatureMap[3];
    for (int s = 0; s < 3; s++) {
      StageInfo stage = BACKBONE.stages().get(s);
      int n = SIZE / stage.stride();
      float[] data = new float[stage.channels() * n * n];
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double px = (x + 0.5) * stage.stride();
          double py = (y + 0.5) * stage.stride();
          double[] field = new double[FIELDS];
          for (int f = 0; f < FIELDS; f++) {
            for (int k = 0; k < WAVES; k++) {
              double[] w = wave[f * WAVES + k];
              field[f] += w[3] * Math.sin(w[0] * px + w[1] * py + w[2]);
            }
          }
          boolean inside = radius > 0 && Math.hypot(px - cx, py - cy) <= radius;
          for (int c = 0; c < stage.channels(); c++) {
            double v = 0.1 * random.nextGaussian();
            for (int f = 0; f < FIELDS; f++) {
              v += mix[s][c][f] * field[f];
            }
            data[(c * n + y) * n + x] = (float) (v + (inside ? 2 : 0));
          }
        }
      }
      features[s] = new FeatureMap(stage.channels(), n, n, stage.stride(), data);
    }

    boolean[] mask = new boolean[SIZE * SIZE];
    if (radius > 0) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          mask[y * SIZE + x] = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius;
        }
      }
    }
    return new Image(features, mask);
  }
}
