package org.flawmap.inference;

import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;

/**
 * The tiles of one image in {@link InputMode#TILE}: where each tile of the backbone's input size
 * lies in the scaled image, how a tile's input is cut out, and how the tile maps are blended
 * back into one map.
 *
 * <p>The image of {@code w × h} is first scaled to {@code round(w s) × round(h s)} for the tile
 * scale {@code s}; a side that rounds to 0 pixels is rejected. Along an axis of {@code L} scaled pixels, tiles of {@code
 * T} pixels with an overlap of {@code O} start at {@code 0, T - O, 2 (T - O), ...}, and the last
 * one starts at {@code L - T}, flush with the border, so it can overlap its neighbour by more
 * than {@code O}. An axis no longer than {@code T} has one tile, centred, with the rest padded
 * with the normalisation mean (0 after normalisation), as in keep-aspect. Tiles are numbered
 * in raster order: row of tiles first, then column.
 *
 * <p>Blending weights each tile pixel by {@code r(x) r(y)}, where the ramp {@code r(i) =
 * min(1, (i + 0.5) / O, (T - i - 0.5) / O)} rises linearly over the overlap at both ends of
 * the tile and is 1 in between. Two tiles that overlap by exactly {@code O} have ramps that
 * sum to 1 in the overlap. The blended value is the weighted sum divided by the summed
 * weights, which are above zero at every covered pixel, so a tile at the image border and a
 * wider overlap of the last tile need no special case.
 */
public final class TileLayout {

  /**
   * Most tiles one image may need. Every tile is a full backbone input and all of an image's
   * tile maps are held until they are blended, so a layout past this fails with advice instead
   * of running out of memory. 4096 tiles is 64 × 64, for example a 5000 × 5000 image at scale 1
   * with the default 224-pixel input and 64-pixel overlap needs 31 × 31 = 961.
   */
  public static final int MAX_TILES = 4096;

  private final int scaledWidth;
  private final int scaledHeight;
  private final int tileWidth;
  private final int tileHeight;
  private final int[] xs;
  private final int[] ys;
  private final int overlap;

  private TileLayout(
      int scaledWidth, int scaledHeight, int tileWidth, int tileHeight, int overlap) {
    this.scaledWidth = scaledWidth;
    this.scaledHeight = scaledHeight;
    this.tileWidth = tileWidth;
    this.tileHeight = tileHeight;
    this.overlap = overlap;
    this.xs = origins(scaledWidth, tileWidth, overlap);
    this.ys = origins(scaledHeight, tileHeight, overlap);
  }

  /**
   * Lays out the tiles of an image.
   *
   * @param imageWidth image columns, before scaling
   * @param imageHeight image rows, before scaling
   * @param tileWidth the backbone's input width
   * @param tileHeight the backbone's input height
   * @throws IllegalArgumentException if the overlap is not below both tile sides, the scaled
   *     image is under 1 pixel on a side, or the image needs more than {@link #MAX_TILES} tiles
   */
  public static TileLayout of(
      int imageWidth, int imageHeight, int tileWidth, int tileHeight, InputSettings settings) {
    int overlap = settings.tileOverlap();
    if (overlap >= Math.min(tileWidth, tileHeight)) {
      throw new IllegalArgumentException(
          "tile overlap %d must be below the backbone input size %d×%d; use a smaller"
                  .formatted(overlap, tileWidth, tileHeight)
              + " --tile-overlap");
    }
    double scale = settings.tileScale();
    long sw = Math.round(imageWidth * scale);
    long sh = Math.round(imageHeight * scale);
    if (sw < 1 || sh < 1) {
      throw new IllegalArgumentException(
          ("image %d×%d is under 1 pixel on a side at --tile-scale %s; use a larger"
                  + " --tile-scale")
              .formatted(imageWidth, imageHeight, scale));
    }
    long count = (long) count((int) sw, tileWidth, overlap) * count((int) sh, tileHeight, overlap);
    if (count > MAX_TILES) {
      throw new IllegalArgumentException(
          ("image %d×%d needs %d tiles of %d×%d at --tile-scale %s and --tile-overlap %d, more"
                  + " than the maximum of %d; lower --tile-scale or --tile-overlap")
              .formatted(imageWidth, imageHeight, count, tileWidth, tileHeight, scale, overlap,
                  MAX_TILES));
    }
    return new TileLayout((int) sw, (int) sh, tileWidth, tileHeight, overlap);
  }

  /** Returns the number of tiles along an axis, as {@link #origins} lays them out. */
  private static int count(int length, int tile, int overlap) {
    if (length <= tile) {
      return 1;
    }
    int step = tile - overlap;
    return (length - tile + step - 1) / step + 1;
  }

  /**
   * Returns the start of each tile along an axis of {@code length} pixels, in scaled-image
   * pixels: negative for the one centred tile of an axis shorter than {@code tile}.
   */
  public static int[] origins(int length, int tile, int overlap) {
    if (length <= tile) {
      return new int[] {-((tile - length) / 2)};
    }
    int count = count(length, tile, overlap);
    int step = tile - overlap;
    int[] out = new int[count];
    for (int i = 0; i < count - 1; i++) {
      out[i] = i * step;
    }
    out[count - 1] = length - tile;
    return out;
  }

  /** Returns the blending ramp of one tile axis of {@code tile} pixels, as in the class doc. */
  public static float[] ramp(int tile, int overlap) {
    float[] w = new float[tile];
    for (int i = 0; i < tile; i++) {
      double r = 1.0;
      if (overlap > 0) {
        r = Math.min(r, Math.min((i + 0.5) / overlap, (tile - i - 0.5) / overlap));
      }
      w[i] = (float) r;
    }
    return w;
  }

  public int scaledWidth() {
    return scaledWidth;
  }

  public int scaledHeight() {
    return scaledHeight;
  }

  public int count() {
    return xs.length * ys.length;
  }

  /** Returns the left column of tile {@code index} in the scaled image. */
  public int x(int index) {
    return xs[index % xs.length];
  }

  /** Returns the top row of tile {@code index} in the scaled image. */
  public int y(int index) {
    return ys[index / xs.length];
  }

  /**
   * Cuts tile {@code index} out of the scaled image's input.
   *
   * @param scaled 3 × scaledHeight × scaledWidth normalised values, CHW
   * @return 3 × tileHeight × tileWidth values, CHW, 0 where the tile lies outside the image
   */
  public float[] cut(float[] scaled, int index) {
    int x0 = x(index);
    int y0 = y(index);
    int fromX = Math.max(0, x0);
    int toX = Math.min(scaledWidth, x0 + tileWidth);
    float[] out = new float[3 * tileWidth * tileHeight];
    for (int c = 0; c < 3; c++) {
      for (int ty = 0; ty < tileHeight; ty++) {
        int y = y0 + ty;
        if (y < 0 || y >= scaledHeight) {
          continue;
        }
        System.arraycopy(
            scaled, (c * scaledHeight + y) * scaledWidth + fromX,
            out, (c * tileHeight + ty) * tileWidth + (fromX - x0), toX - fromX);
      }
    }
    return out;
  }

  /**
   * Blends the tile maps into one map of the scaled image, as the class doc describes.
   *
   * @param tileMaps one map of tileWidth × tileHeight per tile, in tile order
   * @return a map of scaledWidth × scaledHeight
   */
  public AnomalyMap stitch(List<AnomalyMap> tileMaps) {
    if (tileMaps.size() != count()) {
      throw new IllegalArgumentException(
          "expected %d tile maps for a %d×%d scaled image, found %d"
              .formatted(count(), scaledWidth, scaledHeight, tileMaps.size()));
    }
    float[] rampX = ramp(tileWidth, overlap);
    float[] rampY = ramp(tileHeight, overlap);
    double[] sum = new double[scaledWidth * scaledHeight];
    double[] weight = new double[sum.length];
    for (int i = 0; i < tileMaps.size(); i++) {
      AnomalyMap tile = tileMaps.get(i);
      if (tile.width() != tileWidth || tile.height() != tileHeight) {
        throw new IllegalArgumentException(
            "tile map %d is %d×%d, expected the input size %d×%d"
                .formatted(i, tile.width(), tile.height(), tileWidth, tileHeight));
      }
      accumulate(tile.values(), x(i), y(i), rampX, rampY, sum, weight);
    }

    float[] values = new float[sum.length];
    for (int p = 0; p < values.length; p++) {
      values[p] = (float) (sum[p] / weight[p]);
    }
    return new AnomalyMap(scaledWidth, scaledHeight, values);
  }

  private void accumulate(
      float[] tile, int x0, int y0, float[] rampX, float[] rampY, double[] sum,
      double[] weight) {
    int fromX = Math.max(0, -x0);
    int toX = Math.min(tileWidth, scaledWidth - x0);
    for (int ty = Math.max(0, -y0); ty < Math.min(tileHeight, scaledHeight - y0); ty++) {
      int row = (y0 + ty) * scaledWidth + x0;
      for (int tx = fromX; tx < toX; tx++) {
        double w = (double) rampX[tx] * rampY[ty];
        sum[row + tx] += w * tile[ty * tileWidth + tx];
        weight[row + tx] += w;
      }
    }
  }
}
