package org.flawmap.cli;

import picocli.CommandLine.Option;

/**
 * Options of the validation split carved from the test images, for the commands that fit. The
 * other commands repeat the split recorded in the model file.
 */
final class SplitOptions {

  @Option(
      names = "--split-seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of the validation split carved from the test images"
          + " (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(
      names = "--validation-fraction",
      defaultValue = "0.2",
      paramLabel = "F",
      description = "Fraction of each defect type's test images used for validation when the"
          + " dataset has no validation folder, in (0, 1) (default: ${DEFAULT-VALUE}).")
  double validationFraction;
}
