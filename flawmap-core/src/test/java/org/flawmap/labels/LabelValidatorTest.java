package org.flawmap.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.Sample;
import org.flawmap.engine.EvaluateJob;
import org.junit.jupiter.api.Test;

class LabelValidatorTest {

  private static final Path ROOT = Path.of("/data/capsule");

  private static Sample normal(String id) {
    return new Sample(id, ROOT.resolve(id), null, Sample.GOOD, false);
  }

  private static Sample anomalous(String id, String type) {
    return new Sample(id, ROOT.resolve(id), ROOT.resolve(id + ".mask.png"), type, true);
  }

  /** Two normal train images, one anomalous validation image, four anomalous test images. */
  private static Dataset dataset() {
    return new Dataset(ROOT, "capsule",
        List.of(normal("train/good/000.png"), normal("train/good/001.png")),
        List.of(anomalous("validation/crack/v00.png", "crack")),
        List.of(normal("test/good/000.png"),
            anomalous("test/crack/000.png", "crack"),
            anomalous("test/crack/001.png", "crack"),
            anomalous("test/scratch/000.png", "scratch"),
            anomalous("test/scratch/001.png", "scratch")));
  }

  private static LabelRow row(String path, String product, DefectCategory category) {
    return new LabelRow(path, product, Background.WITH, category, "");
  }

  @Test
  void everyUnmatchedRowIsNamed() {
    List<LabelRow> rows = List.of(
        row("validation/crack/v00.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/crack/000.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/crack/missing.png", "capsule", DefectCategory.STRUCTURAL),
        row("crack/001.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/good/000.png", "capsule", DefectCategory.SURFACE),
        row("train/good/001.png", "capsule", DefectCategory.SURFACE),
        row("test/scratch/000.png", "pill", DefectCategory.SURFACE),
        row("test/crack/000.png", "capsule", DefectCategory.COMBINED));

    Labels labels = LabelValidator.validate(rows, dataset());

    List<LabelProblem> problems = labels.problems();
    assertEquals(6, problems.size(), problems.toString());
    assertEquals(new LabelProblem("test/crack/missing.png", LabelProblem.Kind.NOT_IN_DATASET,
        "label row for test/crack/missing.png: no image of dataset " + ROOT + " has this id in "
            + "the train, validation or test split; ids are image paths relative to the "
            + "dataset root"), problems.get(0));
    assertEquals("crack/001.png", problems.get(1).path());
    assertEquals(LabelProblem.Kind.NOT_IN_DATASET, problems.get(1).kind());
    assertTrue(problems.get(1).message().endsWith(
        "; anomalous images with this file name: test/crack/001.png"), problems.get(1).message());
    assertEquals("test/good/000.png", problems.get(2).path());
    assertEquals(LabelProblem.Kind.NORMAL_IMAGE, problems.get(2).kind());
    assertTrue(problems.get(2).message().contains("normal (defect type good, test split)"),
        problems.get(2).message());
    assertEquals("train/good/001.png", problems.get(3).path());
    assertEquals(LabelProblem.Kind.NORMAL_IMAGE, problems.get(3).kind());
    assertTrue(problems.get(3).message().contains("train split"), problems.get(3).message());
    assertEquals("test/scratch/000.png", problems.get(4).path());
    assertEquals(LabelProblem.Kind.PRODUCT_MISMATCH, problems.get(4).kind());
    assertTrue(problems.get(4).message().contains(
        "product \"pill\" differs from the dataset's product \"capsule\""),
        problems.get(4).message());
    assertEquals("test/crack/000.png", problems.get(5).path());
    assertEquals(LabelProblem.Kind.DUPLICATE_PATH, problems.get(5).kind());
  }

  @Test
  void unlabelledImagesAreListedNotProblems() {
    List<LabelRow> rows = List.of(
        row("test/crack/000.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/scratch/000.png", "pill", DefectCategory.SURFACE));

    Labels labels = LabelValidator.validate(rows, dataset());

    // test/scratch/000.png has a row, but with the wrong product, so it labels nothing.
    assertEquals(List.of("test/crack/001.png", "test/scratch/000.png", "test/scratch/001.png",
        "validation/crack/v00.png"), labels.unlabelled());
    assertEquals(List.of(rows.get(0)), labels.rows());
    assertEquals(1, labels.problems().size());
    String report = labels.report();
    assertTrue(report.startsWith("labels for product capsule: 1 of 5 anomalous images "
        + "labelled, 1 problem, 4 unlabelled"), report);
    assertTrue(report.contains("\nunlabelled (no matched row"), report);
    for (String id : labels.unlabelled()) {
      assertTrue(report.contains("\n  " + id), id);
    }
  }

  @Test
  void completeLabelsHaveNoProblems() {
    Dataset dataset = dataset();
    List<LabelRow> rows = List.of(
        row("test/crack/000.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/crack/001.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/scratch/000.png", "capsule", DefectCategory.SURFACE),
        row("test/scratch/001.png", "capsule", DefectCategory.SURFACE),
        row("validation/crack/v00.png", "capsule", DefectCategory.COMBINED));

    Labels labels = LabelValidator.validate(rows, dataset);

    assertFalse(labels.hasProblems());
    assertTrue(labels.unlabelled().isEmpty());
    assertEquals(Optional.of(rows.get(4)), labels.find("validation/crack/v00.png"));
    assertEquals(Optional.empty(), labels.find("test/good/000.png"));
    labels.requireNoProblems();
  }

  @Test
  void requireNoProblemsListsEveryProblem() {
    List<LabelRow> rows = List.of(
        row("test/crack/x.png", "capsule", DefectCategory.STRUCTURAL),
        row("test/good/000.png", "capsule", DefectCategory.STRUCTURAL));
    Labels labels = LabelValidator.validate(rows, dataset());

    LabelException e = assertThrows(LabelException.class, labels::requireNoProblems);

    assertEquals(2, e.problems().size());
    assertTrue(e.getMessage().contains("test/crack/x.png"), e.getMessage());
    assertTrue(e.getMessage().contains("test/good/000.png"), e.getMessage());
  }

  @Test
  void groupsOfAddsCategoryAndBackground() {
    Dataset dataset = dataset();
    Labels labels = LabelValidator.validate(List.of(new LabelRow("test/crack/000.png",
        "capsule", Background.WITHOUT, DefectCategory.STRUCTURAL, "")), dataset);
    Sample labelled = dataset.test().get(1);
    Sample unlabelled = dataset.test().get(3);
    Sample good = dataset.test().get(0);

    assertEquals(List.of("defect_type=crack", "category=structural", "background=without"),
        labels.groupsOf(labelled));
    assertEquals(List.of("defect_type=scratch", "category=unlabelled", "background=unlabelled"),
        labels.groupsOf(unlabelled));
    assertEquals(List.of("defect_type=good"), labels.groupsOf(good));
    assertEquals(EvaluateJob.defectTypeGroup(labelled).get(0), labels.groupsOf(labelled).get(0));
  }
}
