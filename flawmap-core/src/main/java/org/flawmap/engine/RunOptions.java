package org.flawmap.engine;

import org.flawmap.dataset.OnBadFile;

/**
 * Settings shared by the commands that read a dataset, validated here once.
 *
 * @param layout dataset layout name, or {@code auto} to detect it
 * @param splitSeed seed of the validation split
 * @param validationFraction fraction of each defect type's test images used for validation
 * @param batchSize images per backbone call, or tiles in tile mode
 * @param decodeThreads threads that decode and resize images while the backbone runs
 * @param onBadFile what to do with an unreadable image or mask
 */
public record RunOptions(
    String layout,
    long splitSeed,
    double validationFraction,
    int batchSize,
    int decodeThreads,
    OnBadFile onBadFile) {

  public static final RunOptions DEFAULTS =
      new RunOptions("auto", 42L, 0.2, 8, 2, OnBadFile.FAIL);

  public RunOptions {
    if (batchSize < 1 || batchSize > 256) {
      throw new IllegalArgumentException(
          "batch size must be between 1 and 256 images, found " + batchSize);
    }
    if (decodeThreads < 1 || decodeThreads > 64) {
      throw new IllegalArgumentException(
          "decode threads must be between 1 and 64, found " + decodeThreads);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be strictly between 0 and 1, found " + validationFraction);
    }
  }
}
