package org.flawmap.inference;

import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.image.Resizer;
import org.flawmap.image.RgbImage;

/**
 * The one place that maps an image into the backbone's input and the model's map back to the
 * image. {@link BatchRunner} uses {@link #toInput} and {@link Inspector} uses
 * {@link #mapToImage}, so fitting, calibration, testing and prediction share the geometry.
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
    if (inputWidth <= 0 || inputHeight <= 0) {
      throw new IllegalArgumentException(
          "input size must be positive, found %d×%d".formatted(inputWidth, inputHeight));
    }
    this.mode = mode;
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

  public InputMode mode() {
    return mode;
  }

  /** Returns the image region inside the input for an image of {@code width × height}. */
  public Region region(int width, int height) {
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
   */
  public float[] toInput(RgbImage image) {
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
   * image region is cropped out, then resized bilinearly to the image's size.
   */
  public AnomalyMap mapToImage(AnomalyMap atInput, int imageWidth, int imageHeight) {
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
