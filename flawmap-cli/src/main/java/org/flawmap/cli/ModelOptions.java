package org.flawmap.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that score with a model file. */
final class ModelOptions {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL_FILE",
      description = "Model file written by flawmap fit.")
  Path model;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Backbone threads (default: all processors, and half of them in predict).")
  Integer threads;
}
