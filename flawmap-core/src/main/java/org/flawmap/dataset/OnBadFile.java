package org.flawmap.dataset;

/** Policy of {@link SampleLoader} for an image or mask that cannot be used. */
public enum OnBadFile {
  /** Throw a {@link DatasetException} that names the file and the problem. */
  FAIL,
  /** Skip the sample, log a warning and record it in {@link SkippedFiles}. */
  SKIP
}
