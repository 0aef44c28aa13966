package org.flawmap.djl.train;

import java.util.List;

/**
 * The record of a training run, for the model file's provenance and for tests.
 *
 * @param epochs epochs completed, including those of a resumed checkpoint
 * @param bestEpoch epoch (1-based) whose weights were kept: the best validation figure, or the
 *     last epoch without validation data
 * @param bestValidation validation figure of {@code bestEpoch}, NaN without validation data
 * @param trainLoss mean training loss of each epoch
 * @param validation validation figure of each epoch
 * @param stopReason {@code epochs}, {@code early-stopping}, {@code time-limit} or {@code diverged}
 * @param resumedEpochs epochs taken from a checkpoint, 0 for a fresh run
 * @param seconds wall time of this run, without the resumed epochs
 */
public record TrainingResult(
    int epochs,
    int bestEpoch,
    double bestValidation,
    List<Double> trainLoss,
    List<Double> validation,
    String stopReason,
    int resumedEpochs,
    double seconds) {}
