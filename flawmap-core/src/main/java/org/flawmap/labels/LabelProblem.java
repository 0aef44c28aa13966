package org.flawmap.labels;

/**
 * A label row that {@link LabelValidator} could not match to an anomalous image of the dataset.
 *
 * @param path the row's path
 * @param kind what is wrong
 * @param message full sentence naming the path and what to change
 */
public record LabelProblem(String path, Kind kind, String message) {

  /** Reason a row does not match. */
  public enum Kind {
    /** No image of the dataset has this id, in any split. */
    NOT_IN_DATASET,
    /** The image is a normal one; label files list anomalous images only. */
    NORMAL_IMAGE,
    /** The row's product differs from {@code Dataset.product()}. */
    PRODUCT_MISMATCH,
    /** An earlier row already has this path. */
    DUPLICATE_PATH
  }

  @Override
  public String toString() {
    return message;
  }
}
