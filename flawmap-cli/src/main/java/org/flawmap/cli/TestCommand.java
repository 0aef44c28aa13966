package org.flawmap.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.EvaluateJob;
import org.flawmap.engine.Reports;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.model.Calibration;
import org.flawmap.report.TestReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Score the test split with a model file and write metrics.json, metrics.csv and"
          + " summary.txt: image and pixel AUROC, AUPRO, and pixel precision, recall, F1 and"
          + " IoU at the model's threshold, overall and per defect type.",
      "The validation images recorded in the model are left out, so they never count."
    })
final class TestCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions;
  @Mixin DatasetOptions datasetOptions;
  @Mixin FprLimitOption fprLimitOption;
  @Mixin LabelOptions labelOptions;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "REPORT_DIR",
      description = "Folder for the report files.")
  Path output;

  @Override
  public Integer call() throws Exception {
    double fprLimit = fprLimitOption.value();
    OutputPaths.folder(output);
    try (ModelContext model = ModelContext.open(modelOptions.model, modelOptions.threads)) {
      DatasetSession session = model.reopen(datasetOptions);
      TestReport report = test(model, session, output, fprLimit, labelOptions, null);
      System.out.print(report.toText("test metrics for " + modelOptions.model));
      System.out.println("report written to " + output);
    }
    return 0;
  }

  /** Evaluates the test split, writes the report, and passes each image to {@code sink}. */
  static TestReport test(
      ModelContext model,
      DatasetSession session,
      Path output,
      double fprLimit,
      LabelOptions labels,
      EvaluateJob.ImageSink sink)
      throws Exception {
    Calibration c = model.bundle.calibration();
    var thresholds =
        List.of(
            new EvaluateJob.Thresholds("model", (float) c.pixelThreshold(), c.imageThreshold()));
    GroupedMetrics metrics =
        EvaluateJob.evaluate(
                session, session.split().test(), model.extractor, model.bundle.model(), c,
                thresholds, labels.groups(session), sink)
            .get("model");
    TestReport report = new TestReport(metrics, fprLimit);
    Reports.describe(report.extra(), session, model.bundle, c);
    labels.describe(report.extra());
    report.write(output, "test metrics for " + model.file);
    return report;
  }
}
