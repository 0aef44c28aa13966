package org.flawmap.engine;

import java.util.ArrayList;
import java.util.List;
import org.flawmap.dataset.LoadedSample;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.flawmap.inference.Inspector;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.AnomalyScores;
import org.flawmap.model.Calibration;
import org.flawmap.threshold.ThresholdEstimator;
import org.flawmap.threshold.ThresholdResult;
import org.flawmap.threshold.ValidationImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the validation set's anomaly maps and turns them into a {@link Calibration}: the
 * pixel threshold from a {@link ThresholdEstimator}, the image threshold that maximises image
 * F1 on validation image scores, and the min-max range for normalised scores.
 *
 * <p>Validation maps are kept in memory at image resolution; the validation set is small by
 * design (a fifth of the test images by default).
 */
public final class Calibrator {

  private static final Logger log = LoggerFactory.getLogger(Calibrator.class);

  private final AnomalyModel model;
  private final InputSettings input;
  private final List<ValidationImage> images = new ArrayList<>();
  private final List<Double> imageScores = new ArrayList<>();
  private final List<Boolean> labels = new ArrayList<>();

  /** Calibrates with {@link InputMode#RESIZE}. */
  public Calibrator(AnomalyModel model) {
    this(model, InputMode.RESIZE);
  }

  /** Calibrates with the geometry of {@code mode}, the one the model was fitted in. */
  public Calibrator(AnomalyModel model, InputMode mode) {
    this(model, InputSettings.of(mode));
  }

  /** Calibrates with {@code input}, the settings the model was fitted with. */
  public Calibrator(AnomalyModel model, InputSettings input) {
    this.model = model;
    this.input = input;
  }

  /**
   * Adds one validation image in a single-input mode.
   *
   * @throws IllegalStateException in tile mode
   */
  public void add(LoadedSample sample, FeatureMap[] features) {
    if (input.tiled()) {
      throw new IllegalStateException("tile mode needs every tile's features; call addImage");
    }
    addImage(sample, List.<FeatureMap[]>of(features));
  }

  /**
   * Adds one validation image from the features of all its inputs, in any mode. An anomalous
   * image with an empty mask counts at image level.
   */
  public synchronized void addImage(LoadedSample sample, List<FeatureMap[]> inputFeatures) {
    AnomalyScores scores =
        Inspector.scoreAtImage(model, input, sample.image(), inputFeatures);
    boolean anomalous = sample.sample().anomalous();
    imageScores.add(scores.imageScore());
    labels.add(anomalous);
    if (!anomalous) {
      images.add(ValidationImage.normal(sample.sample().id(), scores.map()));
    } else if (!sample.maskEmpty()) {
      images.add(ValidationImage.anomalous(sample.sample().id(), scores.map(), sample.mask()));
    }
  }

  public List<ValidationImage> images() {
    return List.copyOf(images);
  }

  /** Estimates every threshold with {@code estimator} and returns the calibration. */
  public Result calibrate(ThresholdEstimator estimator) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException(
          "the validation set has no usable image; add normal and anomalous images with masks"
              + " to the test folders or a validation folder");
    }
    ThresholdResult pixel = estimator.estimate(images);
    logWarnings(pixel);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ValidationImage image : images) {
      for (float v : image.anomalyMap().values()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    double imageThreshold = ImageThreshold.f1Optimal(imageScores, labels, pixel.threshold());
    Calibration calibration =
        new Calibration(pixel.threshold(), imageThreshold, pixel.estimator(), min, max);
    log.info(
        "Calibration: pixel threshold {} ({} = {}), image threshold {}, score range [{}, {}]",
        pixel.threshold(), pixel.criterion(), "%.4f".formatted(pixel.criterionValue()),
        imageThreshold, min, max);
    return new Result(calibration, pixel);
  }

  private static void logWarnings(ThresholdResult pixel) {
    for (String warning : pixel.warnings()) {
      log.warn("{}", warning);
    }
  }

  /** The calibration and the estimator's full result, with its warnings and curve. */
  public record Result(Calibration calibration, ThresholdResult pixel) {}
}
