package org.flawmap.cli;

import java.nio.file.Path;
import org.flawmap.dataset.OnBadFile;
import org.flawmap.engine.RunOptions;
import picocli.CommandLine.Option;

/** Options of every command that reads a dataset. */
final class DatasetOptions {

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description = "Dataset folder, for example one MVTec AD category.")
  Path dataset;

  @Option(
      names = "--layout",
      defaultValue = "auto",
      paramLabel = "NAME",
      description = "Dataset layout: auto, mvtec, btad, visa or folder (default: ${DEFAULT-VALUE}).")
  String layout;

  @Option(
      names = "--skip-bad-files",
      description = "Skip unreadable images and masks and list them in the report, instead of"
          + " stopping at the first one.")
  boolean skipBadFiles;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      paramLabel = "N",
      description = "Images per backbone call, or tiles in tile mode"
          + " (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--decode-threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "Threads that decode and resize images while the backbone runs"
          + " (default: ${DEFAULT-VALUE}).")
  int decodeThreads;

  /** Combines these options with a split's seed and fraction. */
  RunOptions toRunOptions(long splitSeed, double validationFraction) {
    return new RunOptions(
        layout,
        splitSeed,
        validationFraction,
        batchSize,
        decodeThreads,
        skipBadFiles ? OnBadFile.SKIP : OnBadFile.FAIL);
  }
}
