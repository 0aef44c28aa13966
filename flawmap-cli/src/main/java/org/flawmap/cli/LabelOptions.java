package org.flawmap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.flawmap.dataset.Sample;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.EvaluateJob;
import org.flawmap.labels.LabelValidator;
import org.flawmap.labels.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The optional label file that adds defect category and background groups to a report. */
final class LabelOptions {

  private static final Logger log = LoggerFactory.getLogger(LabelOptions.class);

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "Label file (CSV, docs/labels.md): reports then break every metric down by"
          + " defect category and background as well as by defect type.")
  Path labels;

  /** Returns the report groups of each sample, with the label file's groups when one is given. */
  Function<Sample, List<String>> groups(DatasetSession session) throws IOException {
    if (labels == null) {
      return EvaluateJob::defectTypeGroup;
    }
    Labels checked = LabelValidator.validate(labels, session.dataset());
    checked.requireNoProblems();
    if (!checked.unlabelled().isEmpty()) {
      log.warn(
          "{} anomalous images have no row in {}; they are grouped as unlabelled: {}",
          checked.unlabelled().size(), labels, checked.unlabelled());
    }
    log.info("Labels {}: {} rows", labels, checked.rows().size());
    return checked::groupsOf;
  }

  /** Adds the label file's path to a report, when one is given. */
  void describe(ObjectNode report) {
    if (labels != null) {
      report.put("labels", labels.toAbsolutePath().toString());
    }
  }
}
