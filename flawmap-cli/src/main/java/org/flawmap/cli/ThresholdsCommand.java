package org.flawmap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flawmap.engine.Calibrator;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.EvaluateJob;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.report.ThresholdReport;
import org.flawmap.threshold.ThresholdEstimators;
import org.flawmap.threshold.ThresholdOptions;
import org.flawmap.threshold.ThresholdResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "thresholds",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the five pixel threshold estimators: each is fitted on the validation split"
          + " only, then the test split is scored once and the inference metrics (precision,"
          + " recall, F1, IoU) are computed at each estimator's threshold.",
      "Writes thresholds.json, thresholds.csv and summary.txt."
    })
final class ThresholdsCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions;
  @Mixin DatasetOptions datasetOptions;
  @Mixin FprLimitOption fprLimitOption;
  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "REPORT_DIR",
      description = "Folder for the comparison files.")
  Path output;

  @Option(
      names = "--threshold-option",
      paramLabel = "KEY=VALUE",
      description = "Estimator option, repeatable: k (normal-stats, standard deviations,"
          + " default 3), quantile (normal-quantile, in (0, 1], default 0.99), target-fpr"
          + " (roc), max-candidates.")
  Map<String, String> thresholdOptions = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    double fprLimit = fprLimitOption.value();
    OutputPaths.folder(output);
    ThresholdOptions options = ThresholdOptions.parse(thresholdOptions);
    try (ModelContext model = ModelContext.open(modelOptions.model, modelOptions.threads)) {
      DatasetSession session = model.reopen(datasetOptions);
      Calibrator calibrator = new Calibrator(model.bundle.model(), model.bundle.input());
      session.streamImages(
          "validate", session.split().validation(), model.extractor, calibrator::addImage);

      List<ThresholdResult> results = new ArrayList<>();
      List<EvaluateJob.Thresholds> thresholds = new ArrayList<>();
      double imageThreshold = model.bundle.calibration().imageThreshold();
      for (String name : ThresholdEstimators.names()) {
        ThresholdResult r =
            ThresholdEstimators.byName(name, options).estimate(calibrator.images());
        results.add(r);
        thresholds.add(new EvaluateJob.Thresholds(name, r.threshold(), imageThreshold));
      }

      Map<String, GroupedMetrics> metrics =
          EvaluateJob.evaluate(
              session, session.split().test(), model.extractor, model.bundle.model(),
              model.bundle.calibration(), thresholds, labelOptions.groups(session), null);
      ThresholdReport report = new ThresholdReport(results, metrics, fprLimit);
      report.write(output);
      System.out.print(report.toText());
      System.out.println("comparison written to " + output);
    }
    return 0;
  }
}
