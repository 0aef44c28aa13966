package org.flawmap.djl.train;

import java.nio.file.Path;

/**
 * Settings of one training run, checked here once.
 *
 * @param maxEpochs passes over the training samples, at most
 * @param batchSize samples per optimiser step
 * @param learningRate Adam's step size
 * @param patience epochs without a validation improvement before training stops; 0 turns early
 *     stopping off
 * @param minDelta smallest decrease of the validation figure that counts as an improvement
 * @param timeLimitSeconds wall-time budget; training stops after the first batch that ends
 *     past it, and 0 means no limit
 * @param seed seed of the initial weights and of the sample order
 * @param checkpointDir folder for the checkpoint written after every epoch, or null for none.
 *     A run started with the same folder and settings resumes from it.
 */
public record TrainingOptions(
    int maxEpochs,
    int batchSize,
    double learningRate,
    int patience,
    double minDelta,
    double timeLimitSeconds,
    long seed,
    Path checkpointDir) {

  public TrainingOptions {
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, found " + maxEpochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive number, found " + learningRate);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be 0 or more epochs, found " + patience);
    }
    if (!(minDelta >= 0) || !(timeLimitSeconds >= 0)) {
      throw new IllegalArgumentException(
          "min delta and time limit must be 0 or more, found %s and %s"
              .formatted(minDelta, timeLimitSeconds));
    }
  }

  /**
   * Returns the settings that decide each epoch's result, for checkpoints. The epoch count and
   * the time limit are left out, so that a resumed run may train for longer.
   */
  public String fingerprint() {
    return "batch=%d lr=%s patience=%d delta=%s seed=%d"
        .formatted(batchSize, learningRate, patience, minDelta, seed);
  }
}
