package org.flawmap.djl.fcdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flawmap.djl.features.FeatureGrid;
import org.flawmap.djl.train.Objective;

/**
 * FCDD's training objective on cached feature grids: each batch image becomes a pseudo-anomaly
 * with probability {@code anomalyFraction} (see {@link FeaturePaste}), and the batch costs
 * {@link FcddNetwork#pixelLoss}. The validation figure is the same loss on the defect-free
 * validation grids plus one pasted copy of each, made once with a fixed seed, so that every
 * epoch is measured on the same data.
 *
 * <p>NOTE: the pseudo-anomalies of training come from one generator in call order, so a run
 * resumed from a checkpoint gets other pseudo-anomalies than an uninterrupted run would.
 */
final class FcddObjective implements Objective {

  private final Block block;
  private final int channels;
  private final int width;
  private final int height;
  private final List<float[]> train;
  private final FeaturePaste paste;
  private final double anomalyFraction;
  private final Random random;
  private final List<float[]> validationGrids = new ArrayList<>();
  private final List<float[]> validationMasks = new ArrayList<>();
  private final int batchSize;

  /**
   * @param train normalised training grids, CHW
   * @param validation normalised defect-free validation grids, CHW; may be empty
   */
  FcddObjective(
      Block block,
      FeatureGrid grid,
      List<float[]> train,
      List<float[]> validation,
      FeaturePaste paste,
      FcddOptions options) {
    this.block = block;
    this.channels = grid.channels();
    this.width = grid.width();
    this.height = grid.height();
    this.train = train;
    this.paste = paste;
    this.anomalyFraction = options.anomalyFraction();
    this.random = new Random(options.seed());
    this.batchSize = options.batchSize();

    Random fixed = new Random(options.seed() + 1);
    float[] empty = new float[width * height];
    for (float[] normal : validation) {
      validationGrids.add(normal);
      validationMasks.add(empty);
      float[] mask = new float[width * height];
      validationGrids.add(paste.paste(normal, validation, fixed, mask));
      validationMasks.add(mask);
    }
  }

  @Override
  public NDArray loss(NDManager manager, int[] batch) {
    int cells = width * height;
    float[] input = new float[batch.length * channels * cells];
    float[] masks = new float[batch.length * cells];
    float[] mask = new float[cells];
    for (int i = 0; i < batch.length; i++) {
      float[] grid = train.get(batch[i]);
      if (random.nextDouble() < anomalyFraction) {
        grid = paste.paste(grid, train, random, mask);
        System.arraycopy(mask, 0, masks, i * cells, cells);
      }
      System.arraycopy(grid, 0, input, i * channels * cells, channels * cells);
    }

    NDArray x = manager.create(input, new Shape(batch.length, channels, height, width));
    NDArray m = manager.create(masks, new Shape(batch.length, 1, height, width));
    NDArray map = FcddNetwork.anomalyMap(block, manager, x, true);
    return FcddNetwork.pixelLoss(map, m);
  }

  /**
   * Computes {@link FcddNetwork#pixelLoss} over the whole validation set at once, from sums
   * collected batch by batch, so that the figure does not depend on the batch size.
   */
  @Override
  public double validate(NDManager manager) {
    if (validationGrids.isEmpty()) {
      return Double.NaN;
    }
    int cells = width * height;
    double normalSum = 0;
    long normalCells = 0;
    double anomalousSum = 0;
    long anomalousCells = 0;
    for (int from = 0; from < validationGrids.size(); from += batchSize) {
      int to = Math.min(validationGrids.size(), from + batchSize);
      float[] input = new float[(to - from) * channels * cells];
      for (int i = from; i < to; i++) {
        System.arraycopy(
            validationGrids.get(i), 0, input, (i - from) * channels * cells, channels * cells);
      }
      float[] map;
      try (NDManager scratch = manager.newSubManager()) {
        NDArray x = scratch.create(input, new Shape(to - from, channels, height, width));
        map = FcddNetwork.anomalyMap(block, scratch, x, false).toFloatArray();
      }
      for (int i = from; i < to; i++) {
        float[] mask = validationMasks.get(i);
        for (int p = 0; p < cells; p++) {
          double a = map[(i - from) * cells + p];
          if (mask[p] > 0) {
            anomalousSum += -Math.log(1 - Math.exp(-a) + FcddNetwork.LOG_EPSILON);
            anomalousCells++;
          } else {
            normalSum += a;
            normalCells++;
          }
        }
      }
    }
    return normalSum / Math.max(1, normalCells) + anomalousSum / Math.max(1, anomalousCells);
  }
}
