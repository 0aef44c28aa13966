package org.flawmap.djl.fcdd;

/**
 * Provenance of an FCDD model's training, stored in the model file.
 *
 * @param trainingImages defect-free images whose features were trained on
 * @param validationImages defect-free validation images behind the early-stopping loss
 * @param epochs epochs completed
 * @param bestEpoch epoch (1-based) whose weights were kept
 * @param bestValidation validation loss of {@code bestEpoch}, NaN without validation images
 * @param stopReason {@code epochs}, {@code early-stopping} or {@code time-limit}
 * @param seconds wall time of the training loop
 */
public record FcddTraining(
    int trainingImages,
    int validationImages,
    int epochs,
    int bestEpoch,
    double bestValidation,
    String stopReason,
    double seconds) {}
