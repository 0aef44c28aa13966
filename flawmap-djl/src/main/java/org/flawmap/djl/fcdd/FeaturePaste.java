package org.flawmap.djl.fcdd;

import java.util.List;
import java.util.Random;

/**
 * Makes CutPaste-style pseudo-anomalies (Li et al., "CutPaste: Self-Supervised Learning for
 * Anomaly Detection and Localization", CVPR 2021) in feature space, as FCDD's outlier exposure.
 * A random rectangle of one normalised feature grid is replaced by the features of a rectangle
 * of the same size elsewhere in a random training grid (possibly the same one), scaled by a
 * random factor in [0.5, 1.5] and with Gaussian noise of a random σ in [0, 0.5]; the rectangle
 * is the pixel-wise label.
 *
 * <p>Why feature space: the fitter receives backbone features, never images, and pasting into
 * cached features avoids a backbone pass per synthetic image, which keeps training within a CPU
 * budget. What it misses: a defect that only changes colour or fine texture below the backbone's
 * receptive field has no feature-space counterpart here, and the pasted rectangle has hard edges
 * at grid resolution, where a pasted image patch would blur across several cells.
 */
final class FeaturePaste {

  private final int channels;
  private final int width;
  private final int height;
  private final int minCells;
  private final int maxCells;

  /**
   * @param minCells smallest side of a rectangle, in grid cells
   * @param maxCells largest side of a rectangle, in grid cells
   */
  FeaturePaste(int channels, int width, int height, int minCells, int maxCells) {
    this.channels = channels;
    this.width = width;
    this.height = height;
    this.minCells = Math.max(1, Math.min(minCells, Math.min(width, height)));
    this.maxCells = Math.max(this.minCells, Math.min(maxCells, Math.min(width, height)));
  }

  /**
   * Returns a copy of {@code target} with one pasted rectangle, and writes its label into
   * {@code mask} ({@code height × width}, 1 inside the rectangle, 0 elsewhere).
   *
   * @param target a normalised grid, CHW, not modified
   * @param sources grids to cut from
   */
  float[] paste(float[] target, List<float[]> sources, Random random, float[] mask) {
    int w = minCells + random.nextInt(maxCells - minCells + 1);
    int h = minCells + random.nextInt(maxCells - minCells + 1);
    int toX = random.nextInt(width - w + 1);
    int toY = random.nextInt(height - h + 1);
    float[] source = sources.get(random.nextInt(sources.size()));
    int fromX = random.nextInt(width - w + 1);
    int fromY = random.nextInt(height - h + 1);
    float scale = 0.5f + random.nextFloat();
    float noise = 0.5f * random.nextFloat();

    float[] out = target.clone();
    int cells = width * height;
    for (int c = 0; c < channels; c++) {
      for (int dy = 0; dy < h; dy++) {
        int to = c * cells + (toY + dy) * width + toX;
        int from = c * cells + (fromY + dy) * width + fromX;
        for (int dx = 0; dx < w; dx++) {
          out[to + dx] = scale * source[from + dx] + noise * (float) random.nextGaussian();
        }
      }
    }
    java.util.Arrays.fill(mask, 0f);
    for (int dy = 0; dy < h; dy++) {
      java.util.Arrays.fill(mask, (toY + dy) * width + toX, (toY + dy) * width + toX + w, 1f);
    }
    return out;
  }
}
