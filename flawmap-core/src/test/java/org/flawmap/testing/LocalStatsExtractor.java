package org.flawmap.testing;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;

/**
 * A deterministic stand-in for a CNN backbone, for tests without ONNX Runtime. It has two stages
 * of hand-made local statistics (mean of each channel, standard deviation of the gray level and
 * mean absolute horizontal and vertical gradients) over 4×4 and 8×8 cells of a 64×64 input.
 * A painted blob or scratch changes these statistics, so a model fitted on them can find it.
 */
public final class LocalStatsExtractor implements FeatureExtractor {

  public static final int SIZE = 64;
  private static final int CHANNELS = 6;

  private final BackboneInfo info =
      new BackboneInfo(
          "local-stats",
          "none",
          SIZE,
          SIZE,
          new float[] {0, 0, 0},
          new float[] {1, 1, 1},
          List.of(new StageInfo("cells4", CHANNELS, 4), new StageInfo("cells8", CHANNELS, 8)));

  @Override
  public BackboneInfo info() {
    return info;
  }

  @Override
  public List<FeatureMap[]> extract(List<float[]> inputs) {
    List<FeatureMap[]> out = new ArrayList<>();
    for (float[] chw : inputs) {
      out.add(new FeatureMap[] {cells(chw, 4), cells(chw, 8)});
    }
    return out;
  }

  private static FeatureMap cells(float[] chw, int stride) {
    int n = SIZE / stride;
    int plane = SIZE * SIZE;
    float[] data = new float[CHANNELS * n * n];
    for (int cy = 0; cy < n; cy++) {
      for (int cx = 0; cx < n; cx++) {
        double[] sums = new double[CHANNELS];
        double sumSquares = 0;
        int count = stride * stride;
        for (int y = cy * stride; y < (cy + 1) * stride; y++) {
          for (int x = cx * stride; x < (cx + 1) * stride; x++) {
            int p = y * SIZE + x;
            double gray = (chw[p] + chw[plane + p] + chw[2 * plane + p]) / 3;
            for (int c = 0; c < 3; c++) {
              sums[c] += chw[c * plane + p];
            }
            sums[3] += gray;
            sumSquares += gray * gray;
            if (x + 1 < SIZE) {
              sums[4] += Math.abs(chw[p + 1] - chw[p]);
            }
            if (y + 1 < SIZE) {
              sums[5] += Math.abs(chw[p + SIZE] - chw[p]);
            }
          }
        }
        double mean = sums[3] / count;
        double[] features = {
          sums[0] / count, sums[1] / count, sums[2] / count,
          Math.sqrt(Math.max(0, sumSquares / count - mean * mean)),
          sums[4] / count, sums[5] / count
        };
        for (int c = 0; c < CHANNELS; c++) {
          data[(c * n + cy) * n + cx] = (float) features[c];
        }
      }
    }
    return new FeatureMap(CHANNELS, n, n, stride, data);
  }

  @Override
  public void close() {}
}
