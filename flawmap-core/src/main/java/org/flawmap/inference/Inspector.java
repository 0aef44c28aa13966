package org.flawmap.inference;

import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;

/**
 * Turns backbone features of one image into its {@link Inspection}: the model's map at input
 * resolution, resized bilinearly to the image, then thresholded. The same code serves
 * {@code test}, {@code predict} and every deployment path, so scores never differ between
 * evaluation and deployment.
 */
public final class Inspector {

  private final AnomalyModel model;
  private final Calibration calibration;

  public Inspector(AnomalyModel model, Calibration calibration) {
    this.model = model;
    this.calibration = calibration;
  }

  public AnomalyModel model() {
    return model;
  }

  public Calibration calibration() {
    return calibration;
  }

  /** Returns the map at model resolution and at image resolution. */
  public static AnomalyMap[] maps(AnomalyModel model, RgbImage image, FeatureMap[] features) {
    AnomalyMap atInput = model.anomalyMap(features);
    AnomalyMap atImage = MapResize.bilinear(atInput, image.width(), image.height());
    return new AnomalyMap[] {atInput, atImage};
  }

  public Inspection inspect(RgbImage image, FeatureMap[] features) {
    AnomalyMap[] maps = maps(model, image, features);
    double imageScore = maps[0].max();
    return new Inspection(
        maps[1],
        imageScore,
        imageScore >= calibration.imageThreshold(),
        calibration.pixelThreshold());
  }
}
