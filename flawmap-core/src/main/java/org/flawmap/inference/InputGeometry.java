package org.flawmap.inference;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.image.Resizer;
import org.flawmap.image.RgbImage;

/**
 * The one place that maps an image into the backbone's input and the model's map back to the
 * image. {@link BatchRunner} uses {@link #toInputs} and {@link Inspector} uses
 * {@link #mapToImage(List, int, int)}, so fitting, calibration, testing and prediction share the
 * geometry.
 *
 * <p>The backbone's ONNX input has a fixed size (224 × 224 for the default backbone), so the
 * image always reaches the model at that size; the mode only decides how it gets there.
 *
 * <p>In {@link InputMode#KEEP_ASPECT} an image of {@code w × h} is scaled by
 * {@code s = min(W / w, H / h)} for an input of {@code W × H}, to a content region of
 * {@code round(w s) × round(h s)} pixels (at least 1), placed at offset
 * {@code ((W - cw) / 2, (H - ch) / 2)} rounded down. The rest is filled with the
 * normalisation mean, which is 0 after normalisation. That constant is the same in every
 * image, so a model fitted on normal images learns the padding as normal. Edge replication
 * would instead copy a defect at the border into the padding.
 *
 * <p>In {@link InputMode#TILE} an image gives one input per tile, laid out and blended back by
 * {@link TileLayout}; the other modes give one input per image.
 */
public final class InputGeometry {

  /**
   * Image region inside the input, in input pixels.
   *
   * @param x left column of the image region
   * @param y top row of the image region
   * @param width columns of the image region
   * @param height rows of the image region
   */
  public record Region(int x, int y, int width, int height) {}

  private final InputSettings settings;
  private final InputMode mode;
  private final int inputWidth;
  private final int inputHeight;
  private final float[] mean;
  private final float[] std;

  /**
   * @param mean per-channel mean (R, G, B) on the [0, 1] scale
   * @param std per-channel standard deviation (R, G, B) on the [0, 1] scale
   */
  public InputGeometry(
      InputMode mode, int inputWidth, int inputHeight, float[] mean, float[] std) {
    this(InputSettings.of(mode), inputWidth, inputHeight, mean, std);
  }

  /**
   * @param mean per-channel mean (R, G, B) on the [0, 1] scale
   * @param std per-channel standard deviation (R, G, B) on the [0, 1] scale
   * @throws IllegalArgumentException in tile mode, if the overlap is not below the input size
   */
  public InputGeometry(
      InputSettings settings, int inputWidth, int inputHeight, float[] mean, float[] std) {
    if (inputWidth <= 0 || inputHeight <= 0) {
      throw new IllegalArgumentException(
          "input size must be positive, found %d×%d".formatted(inputWidth, inputHeight));
    }
    if (settings.tiled() && settings.tileOverlap() >= Math.min(inputWidth, inputHeight)) {
      throw new IllegalArgumentException(
          "tile overlap %d must be below the backbone input size %d×%d; use a smaller"
                  .formatted(settings.tileOverlap(), inputWidth, inputHeight)
              + " --tile-overlap");
    }
    this.settings = settings;
    this.mode = settings.mode();
    this.inputWidth = inputWidth;
    this.inputHeight = inputHeight;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** Returns the geometry of {@code mode} for {@code backbone}'s input size and normalisation. */
  public static InputGeometry of(InputMode mode, BackboneInfo backbone) {
    return new InputGeometry(
        mode, backbone.inputWidth(), backbone.inputHeight(), backbone.mean(), backbone.std());
  }

  /** Returns the geometry of {@code settings} for {@code backbone}'s input. */
  public static InputGeometry of(InputSettings settings, BackboneInfo backbone) {
    return new InputGeometry(
        settings, backbone.inputWidth(), backbone.inputHeight(), backbone.mean(),
        backbone.std());
  }

  public InputMode mode() {
    return mode;
  }

  public InputSettings settings() {
    return settings;
  }

  /** Returns the tiles of an image of {@code width × height}; tile mode only. */
  public TileLayout tiles(int width, int height) {
    requireTiled();
    return TileLayout.of(width, height, inputWidth, inputHeight, settings);
  }

  /**
   * Returns the backbone inputs of {@code image} in any mode: one per tile in tile mode, in
   * {@link TileLayout} order, and a single one otherwise.
   *
   * @return arrays of 3 × H × W values, as {@link #toInput}
   */
  public List<float[]> toInputs(RgbImage image) {
    if (!settings.tiled()) {
      return List.of(toInput(image));
    }
    TileLayout layout = tiles(image.width(), image.height());
    // NOTE: the whole scaled image is held as floats (12 bytes a pixel) while its tiles are cut.
    float[] scaled =
        Resizer.toInput(image, layout.scaledWidth(), layout.scaledHeight(), mean, std);
    List<float[]> inputs = new ArrayList<>(layout.count());
    for (int i = 0; i < layout.count(); i++) {
      inputs.add(layout.cut(scaled, i));
    }
    return inputs;
  }

  /**
   * Maps the maps of an image's inputs, in {@link #toInputs} order, to one map of {@code
   * imageWidth × imageHeight}. In tile mode the tiles are blended by {@link TileLayout#stitch}
   * and the result resized bilinearly from the scaled image to the image; otherwise as {@link
   * #mapToImage(AnomalyMap, int, int)}.
   */
  public AnomalyMap mapToImage(List<AnomalyMap> atInput, int imageWidth, int imageHeight) {
    if (!settings.tiled()) {
      if (atInput.size() != 1) {
        throw new IllegalArgumentException(
            "%s mode scores one input per image, found %d maps".formatted(mode.id(),
                atInput.size()));
      }
      return mapToImage(atInput.get(0), imageWidth, imageHeight);
    }
    AnomalyMap scaled = tiles(imageWidth, imageHeight).stitch(atInput);
    if (scaled.width() == imageWidth && scaled.height() == imageHeight) {
      return scaled;
    }
    return MapResize.bilinear(scaled, imageWidth, imageHeight);
  }

  private void requireTiled() {
    if (!settings.tiled()) {
      throw new IllegalStateException("tiles exist in tile mode only, this is " + mode.id());
    }
  }

  private void requireSingleInput() {
    if (settings.tiled()) {
      throw new IllegalStateException(
          "tile mode gives several inputs per image; use toInputs and"
              + " mapToImage(List, int, int)");
    }
  }

  /**
   * Returns the image region inside the input for an image of {@code width × height}, in the
   * single-input modes.
   */
  public Region region(int width, int height) {
    requireSingleInput();
    if (mode == InputMode.RESIZE) {
      return new Region(0, 0, inputWidth, inputHeight);
    }
    double scale = Math.min((double) inputWidth / width, (double) inputHeight / height);
    int cw = Math.max(1, Math.min(inputWidth, (int) Math.round(width * scale)));
    int ch = Math.max(1, Math.min(inputHeight, (int) Math.round(height * scale)));
    return new Region((inputWidth - cw) / 2, (inputHeight - ch) / 2, cw, ch);
  }

  /**
   * Returns the normalised backbone input of {@code image}.
   *
   * @return 3 × H × W values, {@code out[(c * H + y) * W + x]}, as {@link Resizer#toInput}
   * @throws IllegalStateException in tile mode, which has one input per tile
   */
  public float[] toInput(RgbImage image) {
    requireSingleInput();
    Region r = region(image.width(), image.height());
    float[] content = Resizer.toInput(image, r.width(), r.height(), mean, std);
    if (mode == InputMode.RESIZE) {
      return content;
    }

    float[] out = new float[3 * inputWidth * inputHeight];
    int plane = inputWidth * inputHeight;
    int contentPlane = r.width() * r.height();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < r.height(); y++) {
        System.arraycopy(
            content, c * contentPlane + y * r.width(),
            out, c * plane + (r.y() + y) * inputWidth + r.x(), r.width());
      }
    }
    return out;
  }

  /**
   * Maps a map at input resolution back to an image of {@code imageWidth × imageHeight}: the
   * image region is cropped out, then resized bilinearly to the image's size. Not for tile
   * mode, whose maps go through {@link #mapToImage(List, int, int)}.
   */
  public AnomalyMap mapToImage(AnomalyMap atInput, int imageWidth, int imageHeight) {
    requireSingleInput();
    if (atInput.width() != inputWidth || atInput.height() != inputHeight) {
      throw new IllegalArgumentException(
          "anomaly map of %d×%d does not match the input size %d×%d"
              .formatted(atInput.width(), atInput.height(), inputWidth, inputHeight));
    }
    Region r = region(imageWidth, imageHeight);
    AnomalyMap cropped = atInput;
    if (mode != InputMode.RESIZE) {
      float[] values = new float[r.width() * r.height()];
      for (int y = 0; y < r.height(); y++) {
        System.arraycopy(
            atInput.values(), (r.y() + y) * inputWidth + r.x(), values, y * r.width(),
            r.width());
      }
      cropped = new AnomalyMap(r.width(), r.height(), values);
    }

    return MapResize.bilinear(cropped, imageWidth, imageHeight);
  }
}
