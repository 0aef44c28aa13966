package org.flawmap.djl.reconstruction;

import java.nio.file.Path;
import org.flawmap.djl.train.CommonOptions;
import org.flawmap.djl.train.TrainingOptions;

/**
 * Settings of the feature autoencoder, validated here once: the options of every trainable
 * model through {@link CommonOptions}, and the network's own here. Each error names the model
 * option as {@code --model-option} and a benchmark configuration spell it.
 *
 * @param gridStride input pixels per cell of the grid that all stages are resampled to. It must
 *     be one of the backbone's stage strides, and 8 gives 28 × 28 cells at 224 pixels.
 * @param hiddenChannels channels of the 1 × 1 layers next to the input and the output
 * @param latentChannels channels of the bottleneck; fewer than the concatenated stage channels,
 *     so that the network cannot learn the identity
 * @param blurSigma Gaussian smoothing σ of the map, in input pixels
 * @param epochs passes over the training images, at most
 * @param batchSize training images per Adam step
 * @param learningRate Adam's step size
 * @param patience epochs without a lower validation error before training stops; 0 turns early
 *     stopping off
 * @param timeLimitSeconds training stops after the first epoch that ends past this many
 *     seconds; 0 means no limit
 * @param checkpoint folder for a checkpoint after every epoch, or null for none
 * @param seed seed of the initial weights and of the batch order
 */
public record ReconstructionOptions(
    int gridStride,
    int hiddenChannels,
    int latentChannels,
    double blurSigma,
    int epochs,
    int batchSize,
    double learningRate,
    int patience,
    double timeLimitSeconds,
    Path checkpoint,
    long seed) {

  /**
   * Defaults sized so that fitting the 762 magnetic tile training images stays within 15
   * minutes on 2 CPU cores: training stops after the first epoch that ends past 8 minutes.
   */
  public static final ReconstructionOptions DEFAULTS =
      new ReconstructionOptions(8, 96, 24, 4.0, 30, 8, 5e-3, 5, 480, null, 42L);

  public ReconstructionOptions {
    requireAtLeast("grid_stride", gridStride, 1);
    requireAtLeast("hidden_channels", hiddenChannels, 1);
    requireAtLeast("latent_channels", latentChannels, 1);
    new CommonOptions(
        epochs, batchSize, learningRate, patience, timeLimitSeconds, checkpoint, blurSigma);
  }

  /** Combines the common options with the network's own. */
  static ReconstructionOptions of(
      CommonOptions common, int gridStride, int hiddenChannels, int latentChannels, long seed) {
    return new ReconstructionOptions(
        gridStride, hiddenChannels, latentChannels, common.blurSigma(), common.epochs(),
        common.batchSize(), common.learningRate(), common.patience(), common.timeLimitSeconds(),
        common.checkpoint(), seed);
  }

  /** Returns the options every trainable model takes. */
  public CommonOptions common() {
    return new CommonOptions(
        epochs, batchSize, learningRate, patience, timeLimitSeconds, checkpoint, blurSigma);
  }

  private static void requireAtLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "model option %s must be an integer of at least %d, found %d"
              .formatted(option, min, value));
    }
  }

  /** Returns the settings of {@link org.flawmap.djl.train.TrainingLoop}. */
  public TrainingOptions training() {
    return common().training(0.0, seed);
  }

  /** Returns the network's settings, for the checkpoint's fingerprint. */
  public String networkSettings() {
    return "grid_stride=%d hidden=%d latent=%d".formatted(
        gridStride, hiddenChannels, latentChannels);
  }
}
