package org.flawmap.djl.cflow;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.flawmap.djl.train.CommonOptions;
import org.flawmap.djl.train.TrainingOptions;

/**
 * CFLOW settings, validated here once; each error names the model option as written on the
 * command line. The network defaults are smaller than those of Gudovskiy et al., "CFLOW-AD:
 * Real-Time Unsupervised Anomaly Detection with Localization via Conditional Normalizing
 * Flows", WACV 2022, so that fitting on two CPU cores stays within minutes (see
 * docs/models/cflow.md).
 *
 * @param stages backbone stage indices that get a decoder, finest first
 * @param couplingBlocks affine coupling blocks per decoder; the paper uses 8
 * @param hiddenWidth hidden units of each coupling block's subnet
 * @param conditionDim length of the 2D positional encoding; the paper uses 128. A multiple of
 *     4, because half encodes x and half y, each as sine and cosine pairs
 * @param clamp bound of the soft clamp on the coupling log-scales
 * @param fiberBatch feature vectors sampled per stage per optimiser step
 * @param epochs passes over the training images, at most
 * @param batchSize training images per optimiser step; the fibers are sampled from them
 * @param learningRate Adam's step size
 * @param patience epochs without a validation improvement before training stops, 0 for never
 * @param timeLimitSeconds training wall-time budget in seconds, 0 for none; training stops
 *     after the first epoch that ends past it
 * @param checkpoint folder for per-epoch checkpoints, or null for none
 * @param blurSigma Gaussian smoothing σ of the map in input pixels, as PaDiM's
 * @param seed seed of the weights, the permutations and the fiber sampling
 */
public record CflowOptions(
    List<Integer> stages,
    int couplingBlocks,
    int hiddenWidth,
    int conditionDim,
    double clamp,
    int fiberBatch,
    int epochs,
    int batchSize,
    double learningRate,
    int patience,
    double timeLimitSeconds,
    Path checkpoint,
    double blurSigma,
    long seed) {

  public static final CflowOptions DEFAULTS =
      new CflowOptions(
          List.of(0, 1, 2), 8, 128, 64, 1.9, 512, 20, 8, 2e-4, 3, 600, null, 4.0, 42L);

  public CflowOptions {
    stages = List.copyOf(stages);
    if (stages.isEmpty() || new HashSet<>(stages).size() != stages.size()
        || stages.stream().anyMatch(s -> s < 0)) {
      throw new IllegalArgumentException(
          "model option stages must list distinct stage indices (0 is the finest), found "
              + stages);
    }
    requireAtLeast("coupling_blocks", couplingBlocks, 1);
    requireAtLeast("hidden_width", hiddenWidth, 1);
    requireAtLeast("condition_dim", conditionDim, 4);
    if (conditionDim % 4 != 0) {
      throw new IllegalArgumentException(
          "model option condition_dim must be a multiple of 4, found " + conditionDim);
    }
    requirePositive("clamp", clamp);
    requireAtLeast("fiber_batch", fiberBatch, 1);
    requireAtLeast("epochs", epochs, 1);
    requireAtLeast("batch_size", batchSize, 1);
    requirePositive("learning_rate", learningRate);
    requireAtLeast("patience", patience, 0);
    if (!(timeLimitSeconds >= 0) || Double.isInfinite(timeLimitSeconds)) {
      throw new IllegalArgumentException(
          "model option time_limit must be 0 (no limit) or more seconds, found "
              + timeLimitSeconds);
    }
    requirePositive("blur_sigma", blurSigma);
    CommonOptions.requireCheckpointFolder(checkpoint);
  }

  /** Returns the settings of the training loop. */
  TrainingOptions training() {
    return new TrainingOptions(
        epochs, batchSize, learningRate, patience, 0.0, timeLimitSeconds, seed, checkpoint);
  }

  /** Returns the settings that shape the network and its data, for checkpoint fingerprints. */
  String networkFingerprint() {
    return "stages=%s blocks=%d hidden=%d condition=%d clamp=%s fibers=%d"
        .formatted(stages, couplingBlocks, hiddenWidth, conditionDim, clamp, fiberBatch);
  }

  private static void requireAtLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "model option %s must be at least %d, found %d".formatted(option, min, value));
    }
  }

  private static void requirePositive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "model option %s must be a positive number, found %s".formatted(option, value));
    }
  }
}
