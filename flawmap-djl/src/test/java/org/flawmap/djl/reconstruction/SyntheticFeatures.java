package org.flawmap.djl.reconstruction;

import java.util.List;
import java.util.Random;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * Synthetic backbone features for a 64 × 64 input with stages at strides 4, 8 and 16 (6, 8 and
 * 10 channels). Normal features are a fixed linear mix of three smooth random fields plus
 * small noise, so they lie close to a 3-dimensional subspace that a narrow autoencoder can
 * learn. A defect adds one fixed vector, far off that subspace, to every cell inside a square
 * of the input.
 */
final class SyntheticFeatures {

  static final int SIZE = 64;
  static final int FACTORS = 3;
  /** Defect square in input pixels: {@code [DEFECT_FROM, DEFECT_TO)} on both axes. */
  static final int DEFECT_FROM = 24;
  static final int DEFECT_TO = 40;

  static final BackboneInfo BACKBONE =
      new BackboneInfo(
          "synthetic", "0".repeat(64), SIZE, SIZE, new float[] {0, 0, 0},
          new float[] {1, 1, 1},
          List.of(
              new StageInfo("fine", 6, 4), new StageInfo("middle", 8, 8),
              new StageInfo("coarse", 10, 16)));

  private final float[][][] mixing;
  private final float[][] defectShift;

  SyntheticFeatures() {
    Random random = new Random(7);
    List<StageInfo> stages = BACKBONE.stages();
    mixing = new float[stages.size()][][];
    defectShift = new float[stages.size()][];
    for (int s = 0; s < stages.size(); s++) {
      int channels = stages.get(s).channels();
      mixing[s] = new float[channels][FACTORS];
      defectShift[s] = new float[channels];
      for (int c = 0; c < channels; c++) {
        for (int k = 0; k < FACTORS; k++) {
          mixing[s][c][k] = (float) random.nextGaussian();
        }
        defectShift[s][c] = (float) (3 * random.nextGaussian());
      }
    }
  }

  /** Returns one image's stage maps, drawn from {@code seed}. */
  FeatureMap[] image(long seed, boolean defect) {
    Random random = new Random(seed);
    double[][] phase = new double[FACTORS][2];
    double[][] frequency = new double[FACTORS][2];
    for (int k = 0; k < FACTORS; k++) {
      for (int a = 0; a < 2; a++) {
        phase[k][a] = random.nextDouble() * 2 * Math.PI;
        frequency[k][a] = 0.05 + 0.1 * random.nextDouble();
      }
    }

    List<StageInfo> stages = BACKBONE.stages();
    FeatureMap[] maps = new FeatureMap[stages.size()];
    for (int s = 0; s < stages.size(); s++) {
      int stride = stages.get(s).stride();
      int side = SIZE / stride;
      int channels = stages.get(s).channels();
      float[] data = new float[channels * side * side];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          // Cell centre in input pixels.
          double px = (x + 0.5) * stride;
          double py = (y + 0.5) * stride;
          double[] field = new double[FACTORS];
          for (int k = 0; k < FACTORS; k++) {
            field[k] =
                Math.sin(frequency[k][0] * px + phase[k][0])
                    * Math.cos(frequency[k][1] * py + phase[k][1]);
          }
          boolean inside = defect && inDefect(px) && inDefect(py);
          for (int c = 0; c < channels; c++) {
            double value = 0.05 * random.nextGaussian();
            for (int k = 0; k < FACTORS; k++) {
              value += mixing[s][c][k] * field[k];
            }
            if (inside) {
              value += defectShift[s][c];
            }
            data[(c * side + y) * side + x] = (float) value;
          }
        }
      }
      maps[s] = new FeatureMap(channels, side, side, stride, data);
    }
    return maps;
  }

  static boolean inDefect(double pixel) {
    return pixel >= DEFECT_FROM && pixel < DEFECT_TO;
  }
}
