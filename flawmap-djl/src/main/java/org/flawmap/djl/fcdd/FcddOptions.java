package org.flawmap.djl.fcdd;

import java.nio.file.Path;
import org.flawmap.djl.train.CommonOptions;

/**
 * FCDD settings, validated here once: the options of every trainable model through
 * {@link CommonOptions}, and FCDD's own here. Each error names the option as
 * {@code --model-option} and the benchmark configuration spell it.
 *
 * @param epochs passes over the training images, at most
 * @param batchSize images per Adam step
 * @param learningRate Adam's step size
 * @param patience epochs without a lower validation loss before training stops; 0 turns early
 *     stopping off
 * @param timeLimitSeconds wall-time budget of the training loop in seconds; training stops after
 *     the first epoch that ends past it, and 0 means no limit
 * @param checkpoint folder for a checkpoint after every epoch, or null for none
 * @param blurSigma Gaussian smoothing σ of the map, in input pixels
 * @param hiddenChannels channels of the head's two hidden convolutions
 * @param gridStride input pixels per cell of the grid that the stages are resampled to and that
 *     the head scores
 * @param anomalyFraction share of the training images in each batch that get a pasted
 *     pseudo-anomaly
 * @param patchMinSize smallest side of a pasted rectangle, in input pixels
 * @param patchMaxSize largest side of a pasted rectangle, in input pixels
 * @param seed seed of the initial weights, the batch order and the pseudo-anomalies
 */
public record FcddOptions(
    int epochs,
    int batchSize,
    double learningRate,
    int patience,
    double timeLimitSeconds,
    Path checkpoint,
    double blurSigma,
    int hiddenChannels,
    int gridStride,
    double anomalyFraction,
    int patchMinSize,
    int patchMaxSize,
    long seed) {

  /** Defaults sized so that a fit on about 700 images of 224 pixels stays within 15 minutes. */
  public static final FcddOptions DEFAULTS =
      new FcddOptions(30, 16, 1e-3, 5, 600, null, 4.0, 64, 8, 0.5, 16, 64, 42L);

  public FcddOptions {
    new CommonOptions(
        epochs, batchSize, learningRate, patience, timeLimitSeconds, checkpoint, blurSigma);
    requireAtLeast("hidden_channels", hiddenChannels, 1);
    requireAtLeast("grid_stride", gridStride, 1);
    if (!(anomalyFraction > 0 && anomalyFraction < 1)) {
      throw new IllegalArgumentException(
          "model option anomaly_fraction must be between 0 and 1 (exclusive), found "
              + anomalyFraction);
    }
    requireAtLeast("patch_min_size", patchMinSize, 1);
    if (patchMaxSize < patchMinSize) {
      throw new IllegalArgumentException(
          "model option patch_max_size must be at least patch_min_size (%d), found %d"
              .formatted(patchMinSize, patchMaxSize));
    }
  }

  private static void requireAtLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(
          "model option %s must be at least %d, found %d".formatted(name, minimum, value));
    }
  }

  /** Combines the common options with FCDD's own. */
  static FcddOptions of(
      CommonOptions common,
      int hiddenChannels,
      int gridStride,
      double anomalyFraction,
      int patchMinSize,
      int patchMaxSize,
      long seed) {
    return new FcddOptions(
        common.epochs(), common.batchSize(), common.learningRate(), common.patience(),
        common.timeLimitSeconds(), common.checkpoint(), common.blurSigma(), hiddenChannels,
        gridStride, anomalyFraction, patchMinSize, patchMaxSize, seed);
  }

  /** Returns the options every trainable model takes. */
  public CommonOptions common() {
    return new CommonOptions(
        epochs, batchSize, learningRate, patience, timeLimitSeconds, checkpoint, blurSigma);
  }

  /** Returns the settings that shape the network and its training data, for checkpoints. */
  String fingerprint() {
    return "hidden=%d grid=%d fraction=%s patch=%d-%d"
        .formatted(hiddenChannels, gridStride, anomalyFraction, patchMinSize, patchMaxSize);
  }
}
