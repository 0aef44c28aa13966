package org.flawmap.djl.fcdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.features.FeatureGrid;
import org.flawmap.anomalymap.InputMap;
import org.flawmap.model.AnomalyModel;

/**
 * A fitted FCDD model (Liznerski et al., "Explainable Deep One-Class Classification", ICLR 2021,
 * arXiv:2007.01760): the stage features of one image are resampled to a grid of
 * {@code gridStride} pixels per cell (C × H × W, 152 × 28 × 28 for the defaults), normalised per
 * channel with the training statistics, and scored by the head's pseudo-Huber map A (1 × H × W),
 * see {@link FcddNetwork}.
 *
 * <p>The anomaly map is A upsampled bilinearly to the backbone input and smoothed with a Gaussian
 * of σ = {@code blurSigma} input pixels. The paper upsamples with a transposed convolution whose
 * kernel is a fixed Gaussian of the receptive field's size; bilinear upsampling plus the same
 * blur as PaDiM gives a similar smooth map and keeps the models comparable. The image score is
 * the maximum of that map, as for PaDiM, not the paper's mean of A: magnetic tile defects cover
 * a small part of the image, and a mean would dilute them.
 *
 * <p>Thread-safe: each call to {@link #anomalyMap} runs on its own sub-manager with training off
 * and only reads the weights. The loaded weights carry no gradient, so no autograd graph is
 * recorded.
 *
 * <p>NOTE: the weights live in a native PyTorch manager that is not closed before the JVM exits,
 * because {@link AnomalyModel} has no close method.
 */
public final class FcddModel implements AnomalyModel {

  public static final String TYPE = "fcdd";

  /** FCDD pools finer stages onto the grid, so the grid stride need not be a stage stride. */
  static final FeatureGrid.Downsampling DOWNSAMPLING = FeatureGrid.Downsampling.AVERAGE_POOL;

  private final BackboneInfo backbone;
  private final FcddOptions options;
  private final FeatureGrid grid;
  private final ChannelStats stats;
  private final byte[] weights;
  private final FcddTraining training;
  private final NDManager manager;
  private final Block block;
  private final InputMap inputMap;

  /**
   * @param channelMean per-channel mean of the training grids, {@code C} values
   * @param channelStd per-channel standard deviation of the training grids, {@code C} values
   * @param weights the head's parameters as {@link Block#saveParameters} writes them
   */
  FcddModel(
      BackboneInfo backbone,
      FcddOptions options,
      float[] channelMean,
      float[] channelStd,
      byte[] weights,
      FcddTraining training)
      throws IOException {
    this.backbone = backbone;
    this.options = options;
    this.grid = new FeatureGrid(backbone, options.gridStride(), DOWNSAMPLING);
    if (channelMean.length != grid.channels() || channelStd.length != grid.channels()) {
      throw new IllegalArgumentException(
          "FCDD channel statistics have %d and %d values, expected %d backbone channels"
              .formatted(channelMean.length, channelStd.length, grid.channels()));
    }
    this.stats = new ChannelStats(channelMean, channelStd);
    this.weights = weights.clone();
    this.training = training;
    this.manager = TorchEngine.get().newBaseManager();
    this.block =
        FcddNetwork.load(
            manager, weights, grid.channels(), options.hiddenChannels(), grid.height(),
            grid.width());
    this.inputMap = new InputMap(backbone, options.blurSigma());
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public BackboneInfo backbone() {
    return backbone;
  }

  public FcddOptions options() {
    return options;
  }

  public FcddTraining training() {
    return training;
  }

  float[] channelMean() {
    return stats.mean();
  }

  float[] channelStd() {
    return stats.std();
  }

  byte[] weights() {
    return weights.clone();
  }

  int gridWidth() {
    return grid.width();
  }

  int gridHeight() {
    return grid.height();
  }

  @Override
  public AnomalyMap anomalyMap(FeatureMap[] features) {
    return inputMap.apply(cellMap(features));
  }

  /** Computes A on the feature grid, before upsampling and smoothing. */
  public AnomalyMap cellMap(FeatureMap[] features) {
    float[] input = grid.resample(features);
    stats.normalise(input, grid.cells());
    float[] values;
    try (NDManager scratch = manager.newSubManager()) {
      NDArray x = scratch.create(input, new Shape(1, grid.channels(), grid.height(), grid.width()));
      values = FcddNetwork.anomalyMap(block, scratch, x, false).toFloatArray();
    }
    return new AnomalyMap(grid.width(), grid.height(), values);
  }
}
