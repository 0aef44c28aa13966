package org.flawmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.FitJob;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.io.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description = {
      "Fit a model on the dataset's defect-free training images, set its pixel threshold on the"
          + " validation split, and write one self-contained model file.",
      "The validation split is carved from the test images unless the dataset has a validation"
          + " folder; its image ids are stored in the model so that test repeats it."
    })
final class FitCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(FitCommand.class);

  @Mixin DatasetOptions datasetOptions;
  @Mixin SplitOptions splitOptions;
  @Mixin FitOptions fitOptions;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "MODEL_FILE",
      description = "Model file to write, for example model.flawmap.")
  Path output;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Backbone threads (default: all processors).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    OutputPaths.file(output);
    FitJob.Result result = fit(datasetOptions, splitOptions, fitOptions, threads);
    ModelFile.write(output, result.bundle());
    log.info("Wrote model file {}", output);
    System.out.printf(
        "model %s: pixel threshold %.6g (%s), image threshold %.6g, fit %.1f s%n",
        output, result.calibration().calibration().pixelThreshold(),
        result.calibration().calibration().estimator(),
        result.calibration().calibration().imageThreshold(), result.fitSeconds());
    return 0;
  }

  static FitJob.Result fit(
      DatasetOptions datasetOptions, SplitOptions split, FitOptions fit, Integer threads)
      throws Exception {
    var fitterFactory = fit.fitterFactory();
    var estimator = fit.estimator();
    var input = fit.inputSettings();
    DatasetSession session =
        DatasetSession.open(
            datasetOptions.dataset,
            datasetOptions.toRunOptions(split.splitSeed, split.validationFraction));
    session.useInput(input);
    try (Backbones.Loaded backbone = Backbones.open(fit.backbone, Threads.backbone(threads))) {
      ModelFitter fitter = fitterFactory.apply(backbone.extractor().info());
      return FitJob.fit(
          session, backbone.extractor(), backbone.onnx(), backbone.descriptor(), fitter,
          estimator, Versions.flawmap());
    }
  }
}
