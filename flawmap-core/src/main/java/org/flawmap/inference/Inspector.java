package org.flawmap.inference;

import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.AnomalyScores;
import org.flawmap.model.Calibration;

/**
 * Turns backbone features of one image into its {@link Inspection}: the model's map at input
 * resolution, mapped to the image by {@link InputGeometry}, then thresholded. The same code serves
 * {@code test}, {@code predict} and every deployment path, so scores never differ between
 * evaluation and deployment.
 */
public final class Inspector {

  private final AnomalyModel model;
  private final Calibration calibration;
  private final InputMode mode;

  /** Inspects with {@link InputMode#RESIZE}, the geometry of models without a recorded mode. */
  public Inspector(AnomalyModel model, Calibration calibration) {
    this(model, calibration, InputMode.RESIZE);
  }

  /** Inspects with the geometry of {@code mode}, which must be the one the model was fitted in. */
  public Inspector(AnomalyModel model, Calibration calibration, InputMode mode) {
    this.model = model;
    this.calibration = calibration;
    this.mode = mode;
  }

  public AnomalyModel model() {
    return model;
  }

  public Calibration calibration() {
    return calibration;
  }

  public InputMode mode() {
    return mode;
  }

  /** Scores one image in {@link InputMode#RESIZE}, the mode of models without a recorded one. */
  public static AnomalyScores scoreAtImage(
      AnomalyModel model, RgbImage image, FeatureMap[] features) {
    return scoreAtImage(model, InputMode.RESIZE, image, features);
  }

  /**
   * Scores one image with {@link AnomalyModel#score} and maps the map from the model's input
   * resolution to the image's own size with {@link InputGeometry#mapToImage}. The image score
   * is the model's, unchanged; in keep-aspect it therefore also covers the padding, which the
   * model learnt as normal.
   */
  public static AnomalyScores scoreAtImage(
      AnomalyModel model, InputMode mode, RgbImage image, FeatureMap[] features) {
    AnomalyScores atInput = model.score(features);
    AnomalyMap atImage =
        InputGeometry.of(mode, model.backbone())
            .mapToImage(atInput.map(), image.width(), image.height());
    return new AnomalyScores(atImage, atInput.imageScore());
  }

  public Inspection inspect(RgbImage image, FeatureMap[] features) {
    AnomalyScores scores = scoreAtImage(model, mode, image, features);
    double imageScore = scores.imageScore();
    return new Inspection(
        scores.map(),
        imageScore,
        imageScore >= calibration.imageThreshold(),
        calibration.pixelThreshold());
  }
}
