package org.flawmap.dataset;

import java.io.IOException;
import java.nio.file.Path;

/** Reads the file list of one dataset layout. Images are decoded later, when used. */
public interface DatasetReader {

  /**
   * Lists the samples under {@code root}.
   *
   * @throws DatasetException when the layout is invalid, naming the file or folder at fault
   */
  Dataset read(Path root) throws IOException;
}
