package org.flawmap.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.DatasetReaders;
import picocli.CommandLine.Option;

/** The dataset folder and layout of the label commands, which read files but no images. */
final class DatasetLocation {

  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "Dataset folder.")
  Path dataset;

  @Option(names = "--layout", defaultValue = "auto", paramLabel = "NAME",
      description = "Dataset layout: auto, mvtec, btad, visa or folder"
          + " (default: ${DEFAULT-VALUE}).")
  String layout;

  /** Lists the dataset's samples, detecting the layout when it is {@code auto}. */
  Dataset read() throws IOException {
    String name = "auto".equals(layout) ? DatasetReaders.detect(dataset) : layout;
    return DatasetReaders.forLayout(name).read(dataset);
  }
}
