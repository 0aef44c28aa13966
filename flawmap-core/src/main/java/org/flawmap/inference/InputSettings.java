package org.flawmap.inference;

import java.util.Locale;

/**
 * The input settings of a model: its {@link InputMode} and, in {@link InputMode#TILE}, the tile
 * scale and overlap. They are chosen at fit time and recorded in the model file, so that fit,
 * validation, test and predict share one geometry.
 *
 * @param mode the input mode
 * @param tileScale factor applied to the image before it is cut into tiles: 1 keeps the
 *     image's own pixels, 0.5 halves each side. Used in {@link InputMode#TILE} only.
 * @param tileOverlap columns (or rows) shared by two neighbouring tiles, in input pixels, which
 *     are scaled-image pixels. Used in {@link InputMode#TILE} only.
 */
public record InputSettings(InputMode mode, double tileScale, int tileOverlap) {

  /** Tile scale of {@code --tile-scale}'s default: the image's own pixels. */
  public static final double DEFAULT_TILE_SCALE = 1.0;

  /**
   * Tile overlap of {@code --tile-overlap}'s default, in input pixels: four cells of the default
   * backbone's coarsest stage (stride 16), so each blended seam spans several feature cells.
   */
  public static final int DEFAULT_TILE_OVERLAP = 64;

  /**
   * Smallest tile scale. At 1/64 a 10000-pixel side is already 156 pixels, under one 224-pixel
   * tile, so a smaller scale only shrinks one padded tile further, which keep-aspect does
   * better. Images small
   * enough to drop under 1 pixel at an allowed scale are rejected per image by {@link
   * TileLayout}.
   */
  public static final double MIN_TILE_SCALE = 1.0 / 64;

  /** Largest tile scale; {@link TileLayout#MAX_TILES} bounds the tile count per image too. */
  public static final double MAX_TILE_SCALE = 16;

  /** Settings of models without a recorded mode. */
  public static final InputSettings RESIZE = of(InputMode.RESIZE);

  public InputSettings {
    java.util.Objects.requireNonNull(mode, "mode");
    if (!(tileScale >= MIN_TILE_SCALE && tileScale <= MAX_TILE_SCALE)) {
      throw new IllegalArgumentException(
          "tile scale must be between 1/64 (0.015625) and 16, found %s; set --tile-scale in"
                  .formatted(tileScale)
              + " that range");
    }
    if (tileOverlap < 0) {
      throw new IllegalArgumentException(
          "tile overlap must be at least 0 input pixels, found " + tileOverlap);
    }
  }

  /** Returns the settings of {@code mode}, with the default tile scale and overlap. */
  public static InputSettings of(InputMode mode) {
    return new InputSettings(mode, DEFAULT_TILE_SCALE, DEFAULT_TILE_OVERLAP);
  }

  /** Returns tile-mode settings. */
  public static InputSettings tile(double scale, int overlap) {
    return new InputSettings(InputMode.TILE, scale, overlap);
  }

  public boolean tiled() {
    return mode == InputMode.TILE;
  }

  /**
   * Returns a name that differs between settings that give different backbone inputs, for
   * feature cache keys and benchmark labels: the mode id, with the scale and overlap in tile
   * mode, for example {@code tile(scale=1,overlap=64)}.
   */
  public String label() {
    if (!tiled()) {
      return mode.id();
    }
    return "%s(scale=%s,overlap=%d)".formatted(mode.id(), number(tileScale), tileOverlap);
  }

  private static String number(double value) {
    if (value == Math.rint(value)) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%s", value);
  }
}
