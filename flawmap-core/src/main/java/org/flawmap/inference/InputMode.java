package org.flawmap.inference;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Mapping of an image into the backbone's fixed input size. It is chosen per model at fit time
 * and recorded in the model file, so that fit, test and predict use the same geometry. The
 * tile mode's scale and overlap are in {@link InputSettings}.
 */
public enum InputMode {

  /** Squashes the image to the input size, so its aspect ratio is lost. */
  RESIZE("resize"),

  /**
   * Scales the long side to the input size and pads the short side with the normalisation
   * mean. The map is cropped back to the image region.
   */
  KEEP_ASPECT("keep-aspect"),

  /**
   * Scales the image by the tile scale and cuts it into overlapping tiles of the input size,
   * padding an image smaller than one tile. Each tile is scored on its own and the tile maps
   * are blended into one map at the image's own resolution ({@link TileLayout}).
   */
  TILE("tile");

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
