package org.flawmap.anomalymap;

import org.flawmap.backbone.BackboneInfo;

/**
 * Turns a map on the feature grid into the anomaly map at the backbone's input resolution: it
 * is upsampled bilinearly and smoothed with a Gaussian of σ = {@code blurSigma} input pixels, as
 * every model does, so that the models' maps are comparable.
 *
 * <p>Thread-safe: it contains only the target size and the blur kernel.
 */
public final class InputMap {

  private final int width;
  private final int height;
  private final GaussianBlur blur;

  /** @param blurSigma Gaussian σ in input pixels */
  public InputMap(BackboneInfo backbone, double blurSigma) {
    this.width = backbone.inputWidth();
    this.height = backbone.inputHeight();
    this.blur = new GaussianBlur(blurSigma);
  }

  /** Returns {@code gridMap} upsampled to the input size and smoothed. */
  public AnomalyMap apply(AnomalyMap gridMap) {
    AnomalyMap upsampled = MapResize.bilinear(gridMap, width, height);
    return blur.apply(upsampled);
  }
}
