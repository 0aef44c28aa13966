package org.flawmap.inference;

import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.AnomalyScores;
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

  /**
   * Scores one image with {@link AnomalyModel#score} and resizes the map from the model's
   * input resolution to the image's own size. The image score is the model's, unchanged.
   */
  public static AnomalyScores scoreAtImage(
      AnomalyModel model, RgbImage image, FeatureMap[] features) {
    AnomalyScores atInput = model.score(features);
    AnomalyMap atImage = MapResize.bilinear(atInput.map(), image.width(), image.height());
    return new AnomalyScores(atImage, atInput.imageScore());
  }

  public Inspection inspect(RgbImage image, FeatureMap[] features) {
    AnomalyScores scores = scoreAtImage(model, image, features);
    double imageScore = scores.imageScore();
    return new Inspection(
        scores.map(),
        imageScore,
        imageScore >= calibration.imageThreshold(),
        calibration.pixelThreshold());
  }
}
