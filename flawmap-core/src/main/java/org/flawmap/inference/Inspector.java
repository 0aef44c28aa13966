package org.flawmap.inference;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.FeatureExtractor;
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
 *
 * <p>{@link #inspect(RgbImage, FeatureExtractor)} scores an image in every mode, tile mode
 * included, from the image and the extractor alone. {@link #inspect(RgbImage, List)} does the
 * same from features that a {@link BatchRunner#runImages} loop computed, and {@link
 * #inspect(RgbImage, FeatureMap[])} serves the single-input modes only.
 */
public final class Inspector {

  /** Backbone inputs per extractor call in {@link #inspect(RgbImage, FeatureExtractor)}. */
  static final int INPUTS_PER_CALL = 8;

  private final AnomalyModel model;
  private final Calibration calibration;
  private final InputGeometry geometry;

  /** Inspects with {@link InputMode#RESIZE}, the geometry of models without a recorded mode. */
  public Inspector(AnomalyModel model, Calibration calibration) {
    this(model, calibration, InputSettings.RESIZE);
  }

  /**
   * Inspects with the geometry of {@code mode}, which must be the one the model was fitted in;
   * tile mode gets the default tile settings.
   */
  public Inspector(AnomalyModel model, Calibration calibration, InputMode mode) {
    this(model, calibration, InputSettings.of(mode));
  }

  /** Inspects with {@code settings}, which must be those the model was fitted with. */
  public Inspector(AnomalyModel model, Calibration calibration, InputSettings settings) {
    this.model = model;
    this.calibration = calibration;
    this.geometry = InputGeometry.of(settings, model.backbone());
  }

  public AnomalyModel model() {
    return model;
  }

  public Calibration calibration() {
    return calibration;
  }

  public InputMode mode() {
    return geometry.mode();
  }

  public InputSettings settings() {
    return geometry.settings();
  }

  /** Scores one image in {@link InputMode#RESIZE}, the mode of models without a recorded one. */
  public static AnomalyScores scoreAtImage(
      AnomalyModel model, RgbImage image, FeatureMap[] features) {
    return scoreAtImage(model, InputMode.RESIZE, image, features);
  }

  /**
   * Scores one image in a single-input mode with {@link AnomalyModel#score} and maps the map
   * from the model's input resolution to the image's own size with {@link
   * InputGeometry#mapToImage}. The image score is the model's, unchanged; in keep-aspect it
   * therefore also covers the padding, which the model learnt as normal.
   */
  public static AnomalyScores scoreAtImage(
      AnomalyModel model, InputMode mode, RgbImage image, FeatureMap[] features) {
    return scoreAtImage(model, InputSettings.of(mode), image, List.<FeatureMap[]>of(features));
  }

  /**
   * Scores one image in any mode from the features of its inputs, in {@link
   * InputGeometry#toInputs} order. In tile mode every tile is scored, the tile maps are blended
   * by {@link TileLayout#stitch} into a map at the image's own size, and the image score is
   * the maximum over tiles of the model's image score, padding included.
   */
  public static AnomalyScores scoreAtImage(
      AnomalyModel model, InputSettings settings, RgbImage image,
      List<FeatureMap[]> inputFeatures) {
    return scoreAtImages(model, settings, List.of(image), List.of(inputFeatures)).get(0);
  }

  /**
   * Scores several images as {@link #scoreAtImage(AnomalyModel, InputSettings, RgbImage, List)}
   * does one, with one {@link AnomalyModel#scoreBatch} call over all their inputs, so that
   * models that batch read their parameters once for all of them. The results equal those of
   * one image at a time.
   *
   * @param inputFeatures per image, the features of its inputs
   */
  public static List<AnomalyScores> scoreAtImages(
      AnomalyModel model, InputSettings settings, List<RgbImage> images,
      List<List<FeatureMap[]>> inputFeatures) {
    if (images.size() != inputFeatures.size()) {
      throw new IllegalArgumentException("%d images but features of %d"
          .formatted(images.size(), inputFeatures.size()));
    }
    List<FeatureMap[]> all = new ArrayList<>();
    for (List<FeatureMap[]> features : inputFeatures) {
      all.addAll(features);
    }
    List<AnomalyScores> atInputs = model.scoreBatch(all);

    InputGeometry geometry = InputGeometry.of(settings, model.backbone());
    List<AnomalyScores> out = new ArrayList<>(images.size());
    int next = 0;
    for (int i = 0; i < images.size(); i++) {
      int count = inputFeatures.get(i).size();
      List<AnomalyMap> maps = new ArrayList<>(count);
      double imageScore = Double.NEGATIVE_INFINITY;
      for (AnomalyScores atInput : atInputs.subList(next, next + count)) {
        maps.add(atInput.map());
        imageScore = Math.max(imageScore, atInput.imageScore());
      }
      next += count;
      RgbImage image = images.get(i);
      AnomalyMap atImage = geometry.mapToImage(maps, image.width(), image.height());
      out.add(new AnomalyScores(atImage, imageScore));
    }
    return out;
  }

  /**
   * Inspects an image from the features of its inputs, in any mode.
   *
   * @param inputFeatures one feature set per input of {@link InputGeometry#toInputs}, as a
   *     {@link BatchRunner#runImages} sink receives them
   */
  public Inspection inspect(RgbImage image, List<FeatureMap[]> inputFeatures) {
    return inspectBatch(List.of(image), List.of(inputFeatures)).get(0);
  }

  /**
   * Inspects several images in any mode, scoring all their inputs in one {@link
   * AnomalyModel#scoreBatch} call; each result equals {@link #inspect(RgbImage, List)} of
   * that image alone.
   *
   * @param inputFeatures per image, the features of its inputs, as a {@link
   *     BatchRunner#runBatches} sink receives them
   */
  public List<Inspection> inspectBatch(
      List<RgbImage> images, List<List<FeatureMap[]>> inputFeatures) {
    List<AnomalyScores> scores =
        scoreAtImages(model, geometry.settings(), images, inputFeatures);
    List<Inspection> out = new ArrayList<>(scores.size());
    for (AnomalyScores s : scores) {
      double imageScore = s.imageScore();
      out.add(new Inspection(
          s.map(),
          imageScore,
          imageScore >= calibration.imageThreshold(),
          calibration.pixelThreshold()));
    }
    return out;
  }

  /**
   * Inspects an image from the features of its only input, in the resize and keep-aspect modes.
   *
   * @throws IllegalStateException in tile mode, where an image has several inputs
   */
  public Inspection inspect(RgbImage image, FeatureMap[] features) {
    if (geometry.settings().tiled()) {
      throw new IllegalStateException(
          "this model uses tile mode, which needs the features of every tile; call"
              + " inspect(image, extractor) or inspect(image, List) instead");
    }
    return inspect(image, List.<FeatureMap[]>of(features));
  }

  /**
   * Inspects one image in any mode: builds its backbone inputs with the model's geometry, runs
   * {@code extractor} on them, {@value #INPUTS_PER_CALL} at a time, and scores them. This is
   * the one call that a service needs per image. Batch loops over many images use {@link
   * BatchRunner#runImages} instead, which overlaps decoding with the backbone.
   *
   * @param extractor the backbone the model was fitted with
   */
  public Inspection inspect(RgbImage image, FeatureExtractor extractor) {
    List<float[]> inputs = geometry.toInputs(image);
    List<FeatureMap[]> features = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += INPUTS_PER_CALL) {
      int to = Math.min(inputs.size(), from + INPUTS_PER_CALL);
      features.addAll(extractor.extract(inputs.subList(from, to)));
    }
    return inspect(image, features);
  }
}
