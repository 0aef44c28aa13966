package org.flawmap.model.padim;

/**
 * PaDiM settings, validated here once. The defaults are those of Defard et al., "PaDiM: a Patch
 * Distribution Modeling Framework for Anomaly Detection and Localization", ICPR 2020.
 *
 * @param featureDimension channels kept from the concatenated stages (the paper keeps 100 of
 *     ResNet18's 448); capped at the number available
 * @param epsilon ridge added to every covariance diagonal, {@code Σ + εI}; the paper uses 0.01
 * @param blurSigma Gaussian smoothing σ in input pixels; the paper uses 4
 * @param seed seed of the random channel subset
 */
public record PadimOptions(int featureDimension, double epsilon, double blurSigma, long seed) {

  public static final PadimOptions DEFAULTS = new PadimOptions(100, 0.01, 4.0, 42L);

  public PadimOptions {
    if (featureDimension < 1) {
      throw new IllegalArgumentException(
          "PaDiM feature dimension must be at least 1, found " + featureDimension);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException(
          "PaDiM epsilon must be a positive number, found " + epsilon);
    }
    if (!(blurSigma > 0) || Double.isInfinite(blurSigma)) {
      throw new IllegalArgumentException(
          "PaDiM blur sigma must be a positive number of pixels, found " + blurSigma);
    }
  }
}
