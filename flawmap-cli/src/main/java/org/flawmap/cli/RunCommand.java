package org.flawmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.FitJob;
import org.flawmap.model.io.ModelFile;
import org.flawmap.report.PredictionWriter;
import org.flawmap.report.TestReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "The main job in one command: fit on the training images, set the threshold on the"
          + " validation split, test, and write maps for every test image.",
      "Writes OUTPUT/model.flawmap, OUTPUT/report/ (as test writes it) and OUTPUT/maps/ (as"
          + " predict writes it, with the ground truth outlined in green on each overlay)."
    })
final class RunCommand implements Callable<Integer> {

  @Mixin DatasetOptions datasetOptions;
  @Mixin FprLimitOption fprLimitOption;
  @Mixin SplitOptions splitOptions;
  @Mixin FitOptions fitOptions;
  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the model file, the report and the maps.")
  Path output;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Backbone threads (default: all processors).")
  Integer threads;

  @Option(
      names = "--no-maps",
      description = "Skip the PNG maps of the test images.")
  boolean noMaps;

  @Override
  public Integer call() throws Exception {
    double fprLimit = fprLimitOption.value();
    OutputPaths.folder(output);
    FitJob.Result fit = FitCommand.fit(datasetOptions, splitOptions, fitOptions, threads);
    Path modelFile = output.resolve("model.flawmap");
    ModelFile.write(modelFile, fit.bundle());
    System.out.printf("model written to %s (fit %.1f s)%n", modelFile, fit.fitSeconds());

    try (ModelContext model = ModelContext.open(modelFile, threads)) {
      DatasetSession session = model.reopen(datasetOptions);
      PredictionWriter maps =
          new PredictionWriter(output.resolve("maps"), model.bundle.calibration(), !noMaps);
      TestReport report =
          TestCommand.test(
              model, session, output.resolve("report"), fprLimit, labelOptions,
              (sample, inspection) ->
                  maps.write(
                      mapName(sample.sample().id()), sample.sample().image(), sample.image(),
                      inspection, sample.mask()));
      maps.finish();
      System.out.print(report.toText("test metrics for " + modelFile));
      System.out.println("report in " + output.resolve("report")
          + (noMaps ? "" : ", maps in " + output.resolve("maps")));
    }
    return 0;
  }

  /** Maps a sample id such as {@code test/crack/001.png} to {@code test/crack/001}. */
  static String mapName(String sampleId) {
    int dot = sampleId.lastIndexOf('.');
    return dot > sampleId.lastIndexOf('/') + 1 ? sampleId.substring(0, dot) : sampleId;
  }
}
