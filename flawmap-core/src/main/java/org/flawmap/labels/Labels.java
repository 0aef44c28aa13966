package org.flawmap.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.flawmap.dataset.Sample;

/**
 * Label rows matched to the anomalous images of one dataset, with the rows that did not match
 * and the anomalous images that have no row. {@link LabelValidator#validate} creates it.
 *
 * <p>Only rows without a problem are used: a row with a problem labels nothing, so its image,
 * if it is anomalous, is also listed as unlabelled.
 */
public final class Labels {

  /** Group value for an anomalous image that has no label row. */
  public static final String UNLABELLED = "unlabelled";

  private final String product;
  private final Map<String, LabelRow> rowsById;
  private final List<LabelProblem> problems;
  private final List<String> unlabelled;

  Labels(String product, Map<String, LabelRow> rowsById, List<LabelProblem> problems,
      List<String> unlabelled) {
    this.product = product;
    this.rowsById = new TreeMap<>(rowsById);
    this.problems = List.copyOf(problems);
    this.unlabelled = List.copyOf(unlabelled);
  }

  /** Returns the matched row of the sample with id {@code sampleId}, if it has one. */
  public Optional<LabelRow> find(String sampleId) {
    return Optional.ofNullable(rowsById.get(sampleId));
  }

  /** Returns the matched rows, sorted by path. */
  public List<LabelRow> rows() {
    return List.copyOf(rowsById.values());
  }

  /** Returns every row that matched no anomalous image, in input order. */
  public List<LabelProblem> problems() {
    return problems;
  }

  /** Returns the ids of anomalous images without a matched row, sorted. */
  public List<String> unlabelled() {
    return unlabelled;
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /**
   * Returns the report group keys of {@code sample}, for {@code EvaluateJob.evaluate}'s
   * {@code groupsOf} parameter ({@code labels::groupsOf}).
   *
   * <p>Every sample gets {@code defect_type=<type>}, as {@code EvaluateJob.defectTypeGroup}
   * gives. An anomalous sample also gets {@code category=<category>} and
   * {@code background=<with|without>} from its row, or {@code category=unlabelled} and
   * {@code background=unlabelled} when it has none. Normal samples get no category, because
   * metrics groups take every normal image anyway.
   */
  public List<String> groupsOf(Sample sample) {
    String defectType = "defect_type=" + sample.defectType();
    if (!sample.anomalous()) {
      return List.of(defectType);
    }
    LabelRow row = rowsById.get(sample.id());
    String category = row == null ? UNLABELLED : row.category().value();
    String background = row == null ? UNLABELLED : row.background().value();
    return List.of(defectType, "category=" + category, "background=" + background);
  }

  /**
   * Throws when any row has a problem.
   *
   * @throws LabelException listing every problem
   */
  public void requireNoProblems() {
    if (hasProblems()) {
      throw new LabelException("label rows for product %s do not match the dataset: %d %s"
          .formatted(product, problems.size(), problems.size() == 1 ? "row" : "rows"),
          problems.stream().map(LabelProblem::message).toList());
    }
  }

  /**
   * Formats a text report: counts, then every problem, then every unlabelled image under the
   * heading {@code unlabelled}.
   */
  public String report() {
    int anomalous = rowsById.size() + unlabelled.size();
    List<String> lines = new ArrayList<>();
    lines.add("labels for product %s: %d of %d anomalous images labelled, %d %s, %d %s"
        .formatted(product, rowsById.size(), anomalous, problems.size(),
            problems.size() == 1 ? "problem" : "problems", unlabelled.size(), UNLABELLED));
    if (!problems.isEmpty()) {
      lines.add("problems:");
      problems.forEach(p -> lines.add("  " + p.message()));
    }
    if (!unlabelled.isEmpty()) {
      lines.add(UNLABELLED + " (no matched row; grouped as category=" + UNLABELLED
          + ", background=" + UNLABELLED + "):");
      unlabelled.forEach(id -> lines.add("  " + id));
    }
    return String.join("\n", lines);
  }
}
