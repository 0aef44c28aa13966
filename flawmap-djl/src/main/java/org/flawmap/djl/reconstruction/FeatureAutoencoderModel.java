package org.flawmap.djl.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.features.FeatureGrid;
import org.flawmap.anomalymap.InputMap;
import org.flawmap.djl.train.TrainingResult;
import org.flawmap.model.AnomalyModel;

/**
 * A feature-space reconstruction model in the spirit of DFR (Shi, Yang and Qi, "Unsupervised
 * anomaly segmentation via deep feature reconstruction", Neurocomputing 2021): an autoencoder
 * trained on defect-free images to reconstruct their backbone features, whose reconstruction
 * error is high where a feature lies off what it learned.
 *
 * <p>DRAEM (Zavrtanik et al., ICCV 2021) reconstructs images with two U-Nets and needs
 * synthetic defects. Its training is far beyond a budget of minutes on 2 CPU cores, so this
 * model reconstructs the frozen backbone's features instead: 28 × 28 cells at 224 pixels
 * instead of 224 × 224 × 3 pixels, through a network of about 71,000 weights with the defaults.
 *
 * <p>Scoring one image: the stages are resampled to the grid ({@link FeatureGrid}),
 * normalised with the training statistics ({@link ChannelStats}), reconstructed by
 * {@link AutoencoderNetwork}, and each cell scores its squared error averaged over channels.
 * The {@code H × W} error grid is upsampled bilinearly to the input size and smoothed with a
 * Gaussian of σ = {@code blurSigma} input pixels, as PaDiM's map is. The image score is the
 * maximum of the map.
 *
 * <p>Thread-safe: the weights are frozen, and every call works in its own sub-manager in
 * inference mode. The native weights are held by a manager that lives as long as the process.
 */
public final class FeatureAutoencoderModel implements AnomalyModel {

  public static final String TYPE = "feature-ae";

  /** DFR resizes every stage bilinearly, so the grid stride must be one of the stage strides. */
  static final FeatureGrid.Downsampling DOWNSAMPLING = FeatureGrid.Downsampling.BILINEAR;

  private final BackboneInfo backbone;
  private final ReconstructionOptions options;
  private final ChannelStats stats;
  private final byte[] weights;
  private final int trainingImages;
  private final TrainingResult training;
  private final FeatureGrid grid;
  private final InputMap inputMap;
  private final NDManager manager;
  private final Block block;

  FeatureAutoencoderModel(
      BackboneInfo backbone,
      ReconstructionOptions options,
      ChannelStats stats,
      byte[] weights,
      int trainingImages,
      TrainingResult training)
      throws IOException {
    this.backbone = backbone;
    this.options = options;
    this.grid = new FeatureGrid(backbone, options.gridStride(), DOWNSAMPLING);
    if (stats.channels() != grid.channels()) {
      throw new IllegalArgumentException(
          "feature autoencoder statistics cover %d channels, the backbone has %d"
              .formatted(stats.channels(), grid.channels()));
    }
    this.stats = stats;
    this.weights = weights.clone();
    this.trainingImages = trainingImages;
    this.training = training;
    this.inputMap = new InputMap(backbone, options.blurSigma());

    // NOTE: AnomalyModel has no close(), so this manager and its weights stay until exit.
    this.manager = TorchEngine.get().newBaseManager();
    this.block =
        AutoencoderNetwork.create(
            manager, grid.channels(), options.hiddenChannels(), options.latentChannels(),
            grid.height(), grid.width());
    AutoencoderNetwork.load(block, manager, this.weights);
    block.freezeParameters(true);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public BackboneInfo backbone() {
    return backbone;
  }

  public ReconstructionOptions options() {
    return options;
  }

  ChannelStats stats() {
    return stats;
  }

  /** Returns the weights as {@link Block#saveParameters} wrote them. */
  byte[] weights() {
    return weights.clone();
  }

  public int trainingImages() {
    return trainingImages;
  }

  /** Returns what the training run did; the loss lists are empty for a model read from file. */
  public TrainingResult training() {
    return training;
  }

  public int gridWidth() {
    return grid.width();
  }

  public int gridHeight() {
    return grid.height();
  }

  @Override
  public AnomalyMap anomalyMap(FeatureMap[] features) {
    return inputMap.apply(errorGrid(features));
  }

  /** Returns the squared reconstruction error of every cell, averaged over channels. */
  public AnomalyMap errorGrid(FeatureMap[] features) {
    float[] input = normalisedGrid(features);
    try (NDManager scratch = manager.newSubManager()) {
      NDArray x = scratch.create(
          input, new Shape(1, grid.channels(), grid.height(), grid.width()));
      NDArray reconstruction = AutoencoderNetwork.reconstruct(block, scratch, x, false);
      float[] errors = AutoencoderNetwork.cellError(x, reconstruction).toFloatArray();
      return new AnomalyMap(grid.width(), grid.height(), errors);
    }
  }

  float[] normalisedGrid(FeatureMap[] features) {
    float[] values = grid.resample(features);
    stats.normalise(values, grid.cells());
    return values;
  }

  /** Wraps the checked error of reading weights for callers that cannot throw it. */
  static FeatureAutoencoderModel of(
      BackboneInfo backbone,
      ReconstructionOptions options,
      ChannelStats stats,
      byte[] weights,
      int trainingImages,
      TrainingResult training) {
    try {
      return new FeatureAutoencoderModel(
          backbone, options, stats, weights, trainingImages, training);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
