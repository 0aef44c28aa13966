package org.flawmap.inference;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How an image is fitted into the backbone's fixed input size. Chosen per model when it is
 * fitted and recorded in the model file, so that fit, test and predict use the same geometry.
 */
public enum InputMode {

  /** The image is squashed to the input size; its aspect ratio is lost. */
  RESIZE("resize"),

  /**
   * The long side is scaled to the input size and the short side padded with the
   * normalisation mean; the map is cropped back to the image region.
   */
  KEEP_ASPECT("keep-aspect");

  private final String id;

  InputMode(String id) {
    this.id = id;
  }

  /** Returns the name used on the command line and in the model file. */
  public String id() {
    return id;
  }

  /** Parses a name written by {@link #id()}; names the accepted values when it fails. */
  public static InputMode parse(String name) {
    for (InputMode mode : values()) {
      if (mode.id.equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown input mode '%s'; use one of: %s"
            .formatted(
                name,
                Arrays.stream(values()).map(InputMode::id).collect(Collectors.joining(", "))));
  }
}
