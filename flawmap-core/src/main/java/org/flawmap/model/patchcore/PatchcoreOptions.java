package org.flawmap.model.patchcore;

import java.util.List;

/**
 * PatchCore settings, validated here once. Messages name the command-line option that sets each
 * value, so that {@code flawmap fit} reports them as they were typed.
 *
 * @param stages indices into the backbone's stages whose features are combined, distinct and
 *     ascending. Roth et al. (2022) take the stride-8 and stride-16 blocks of a Wide-ResNet-50
 *     ({@code layer2}, {@code layer3}), and the stages at those strides in the default
 *     MobileNetV2 are indices 1 and 2 ({@code block_5_add}, {@code block_12_add})
 * @param featureDimension channels per patch after adaptive average pooling over the
 *     concatenated channels; at least the number of concatenated channels keeps them all
 * @param coresetRatio memory bank size as a fraction of all training patches, in (0, 1]
 * @param maxBank hard cap on the memory bank, in patches
 * @param maxCandidates training patches kept for coreset selection, a seeded uniform sample of
 *     all of them; bounds the memory and time of fitting
 * @param projectionDimension dimension of the random projection on which the coreset is
 *     selected; at least the feature dimension selects on the features themselves
 * @param neighbours b, the bank patches nearest to the best match of the most anomalous patch
 *     that reweight the image score, counting that match itself
 * @param blurSigma Gaussian smoothing σ of the anomaly map in input pixels; 4 as in the paper
 * @param seed seed of the candidate sample, the projection and the first coreset patch
 */
public record PatchcoreOptions(
    List<Integer> stages,
    int featureDimension,
    double coresetRatio,
    int maxBank,
    int maxCandidates,
    int projectionDimension,
    int neighbours,
    double blurSigma,
    long seed) {

  /** Defaults for the stride-4/8/16 backbones flawmap ships or exports. */
  public static final PatchcoreOptions DEFAULTS =
      new PatchcoreOptions(List.of(1, 2), 1024, 0.1, 10_000, 200_000, 64, 9, 4.0, 42L);

  public PatchcoreOptions {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("--patchcore-stages needs at least one stage index");
    }
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i) < 0 || (i > 0 && stages.get(i) <= stages.get(i - 1))) {
        throw new IllegalArgumentException(
            "--patchcore-stages must list distinct stage indices from 0 in ascending order,"
                + " found " + stages);
      }
    }
    requireAtLeast("--patchcore-dimension", featureDimension, 1);
    if (!(coresetRatio > 0 && coresetRatio <= 1)) {
      throw new IllegalArgumentException(
          "--patchcore-coreset-ratio must be in (0, 1], found " + coresetRatio);
    }
    requireAtLeast("--patchcore-max-bank", maxBank, 1);
    requireAtLeast("--patchcore-max-candidates", maxCandidates, 1);
    requireAtLeast("--patchcore-projection", projectionDimension, 1);
    if (neighbours < 2) {
      throw new IllegalArgumentException(
          "--patchcore-neighbours must be at least 2 (the best match and one more bank patch),"
              + " found " + neighbours);
    }
    if (!(blurSigma > 0) || Double.isInfinite(blurSigma)) {
      throw new IllegalArgumentException(
          "--blur-sigma must be a positive number of pixels, found " + blurSigma);
    }
  }

  /** Returns these options with other stage indices, for backbones with other stages. */
  public PatchcoreOptions withStages(List<Integer> newStages) {
    return new PatchcoreOptions(
        newStages, featureDimension, coresetRatio, maxBank, maxCandidates, projectionDimension,
        neighbours, blurSigma, seed);
  }

  private static void requireAtLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "%s must be at least %d, found %d".formatted(option, min, value));
    }
  }
}
