package org.flawmap.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.model.patchcore.PatchcoreFitter;
import org.flawmap.model.patchcore.PatchcoreOptions;
import org.flawmap.threshold.ThresholdEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a model on a dataset's defect-free training images, then calibrates it on the
 * validation split. Validation images never reach the fit, and test images never reach
 * either.
 */
public final class FitJob {

  private static final Logger log = LoggerFactory.getLogger(FitJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The outcome of a fit, with its timings.
   *
   * @param bundle the model file's content
   * @param calibration thresholds and the estimator's result
   * @param fitSeconds wall time of the pass over the training images, including decoding, and
   *     of building the model from them
   * @param calibrateSeconds wall time of scoring validation and estimating thresholds
   */
  public record Result(
      ModelBundle bundle, Calibrator.Result calibration, double fitSeconds,
      double calibrateSeconds) {}

  private FitJob() {}

  /**
   * Fits PaDiM.
   *
   * @param backboneOnnx the backbone's ONNX bytes, stored in the model file
   * @param backboneDescriptor the backbone's descriptor bytes, stored in the model file
   */
  public static Result fitPadim(
      DatasetSession session,
      FeatureExtractor extractor,
      byte[] backboneOnnx,
      byte[] backboneDescriptor,
      PadimOptions options,
      ThresholdEstimator estimator,
      String flawmapVersion)
      throws Exception {
    return fit(
        session, extractor, backboneOnnx, backboneDescriptor,
        new PadimFitter(extractor.info(), options), estimator, flawmapVersion);
  }

  /** Fits PatchCore, with the parameters of {@link #fitPadim}. */
  public static Result fitPatchcore(
      DatasetSession session,
      FeatureExtractor extractor,
      byte[] backboneOnnx,
      byte[] backboneDescriptor,
      PatchcoreOptions options,
      ThresholdEstimator estimator,
      String flawmapVersion)
      throws Exception {
    return fit(
        session, extractor, backboneOnnx, backboneDescriptor,
        new PatchcoreFitter(extractor.info(), options), estimator, flawmapVersion);
  }

  /**
   * Streams the training images into {@code fitter}, fits, calibrates on the validation split
   * and assembles the model file's content. Every model type goes through here.
   *
   * @param fitter a fresh fitter for {@code extractor}'s backbone
   * @param backboneOnnx the backbone's ONNX bytes, stored in the model file
   * @param backboneDescriptor the backbone's descriptor bytes, stored in the model file
   */
  public static Result fit(
      DatasetSession session,
      FeatureExtractor extractor,
      byte[] backboneOnnx,
      byte[] backboneDescriptor,
      ModelFitter fitter,
      ThresholdEstimator estimator,
      String flawmapVersion)
      throws Exception {
    long start = System.nanoTime();
    // In tile mode each tile is one fitting sample, so the fitter counts tiles.
    int[] images = {0};
    session.streamImages(
        "fit " + fitter.type(), session.dataset().train(), extractor,
        (sample, tiles) -> {
          tiles.forEach(fitter::add);
          images[0]++;
        });
    requireTrainingImages(session, fitter);

    if (fitter.usesValidation()) {
      session.streamImages(
          "early-stopping validation", session.split().validation(), extractor,
          (loaded, tiles) ->
              tiles.forEach(f -> fitter.addValidation(f, loaded.sample().anomalous())));
    }
    // Read before fit, because a fitter may release its stored features there.
    int inputs = fitter.count();
    AnomalyModel model = fitter.fit();
    double fitSeconds = (System.nanoTime() - start) / 1e9;
    log.info(
        "Fitted {} on {} images ({} backbone inputs, {}) in {} s", fitter.type(), images[0],
        inputs, session.input().label(), "%.1f".formatted(fitSeconds));

    long calibrateStart = System.nanoTime();
    Calibrator calibrator = new Calibrator(model, session.input());
    session.streamImages(
        "validate", session.split().validation(), extractor, calibrator::addImage);
    Calibrator.Result calibration = calibrator.calibrate(estimator);
    double calibrateSeconds = (System.nanoTime() - calibrateStart) / 1e9;

    ObjectNode provenance = provenance(session, images[0], flawmapVersion, fitSeconds);
    ((ObjectNode) provenance.get("dataset")).put("train_inputs", inputs);
    ModelBundle bundle =
        new ModelBundle(
            model, calibration.calibration(), backboneOnnx, backboneDescriptor, provenance,
            session.input());
    return new Result(bundle, calibration, fitSeconds, calibrateSeconds);
  }

  /**
   * Checks that at least two training images were readable, naming how many were skipped, so
   * that a dataset whose images all failed to decode gets a message about the images and not
   * about the model's statistics.
   */
  public static void requireTrainingImages(DatasetSession session, ModelFitter fitter) {
    if (fitter.count() < 2) {
      throw new IllegalArgumentException(
          ("%s needs at least 2 readable training images, found %d of %d (%d skipped as"
                  + " unreadable); add defect-free images to %s")
              .formatted(fitter.type(), fitter.count(), session.dataset().train().size(),
                  session.loader().skipped().count(), session.dataset().root().resolve("train")));
    }
  }

  static ObjectNode provenance(
      DatasetSession session, int trainImages, String flawmapVersion, double fitSeconds) {
    ObjectNode p = JSON.createObjectNode();
    p.put("flawmap_version", flawmapVersion);
    p.put("java_version", System.getProperty("java.version"));
    p.put("created", Instant.now().toString());
    p.put("fit_seconds", fitSeconds);
    ObjectNode dataset = p.putObject("dataset");
    dataset.put("path", session.dataset().root().toAbsolutePath().toString());
    dataset.put("product", session.dataset().product());
    dataset.put("layout", session.layout());
    dataset.put("train_images", trainImages);
    dataset.put("validation_images", session.split().validation().size());
    dataset.put("test_images", session.split().test().size());
    dataset.put("skipped_files", session.loader().skipped().count());
    Reports.putSkipped(dataset.putArray("skipped"), session);
    Reports.putSplit(p.putObject("split"), session);
    return p;
  }
}
