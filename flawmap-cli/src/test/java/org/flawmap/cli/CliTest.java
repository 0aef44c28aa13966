package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a synthetic dataset with the real default backbone. */
class CliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path dataset;
  static Path model;
  static String backbone;

  /** Output of one in-process run of the command line. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeAll
  static void fit() throws Exception {
    backbone = TestBackbone.folder().toString();
    dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(12, 5, 4).withSize(96, 96));
    model = tmp.resolve("model.flawmap");
    Run fit = run("fit", "--dataset", dataset.toString(), "--output", model.toString(),
        "--backbone", backbone, "--padim-dimension", "40");
    assertEquals(0, fit.exitCode(), fit.err());
  }

  @Test
  void testWritesMetricsJson() throws Exception {
    Path report = tmp.resolve("report");
    Run test = run("test", "--model", model.toString(), "--dataset", dataset.toString(),
        "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
    for (String key : List.of("image_auroc", "pixel_auroc", "aupro", "pixel_f1", "mean_iou",
        "pixel_precision", "pixel_recall", "threshold")) {
      assertTrue(metrics.has(key), "metrics.json lacks " + key);
    }
    assertTrue(metrics.path("per_defect_type").has(TinyDatasets.SCRATCH));
    assertTrue(metrics.get("pixel_auroc").asDouble() > 0.8, metrics.toString());
    assertTrue(Files.readString(report.resolve("metrics.csv")).startsWith("group,"));
    assertTrue(Files.readString(report.resolve("summary.txt")).contains("pixel_auroc"));
  }

  @Test
  void predictWritesMapsAndLines() throws Exception {
    Path out = tmp.resolve("pred");
    Path folder = dataset.resolve("test");
    Run predict = run("predict", "--model", model.toString(), "--output", out.toString(),
        folder.toString());
    assertEquals(0, predict.exitCode(), predict.err());
    List<String> lines = Files.readAllLines(out.resolve("predictions.jsonl"));
    long images;
    try (var walk = Files.walk(folder)) {
      images = walk.filter(Files::isRegularFile).count();
    }
    assertEquals(images, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertTrue(first.has("image_score"), first.toString());
    assertTrue(first.has("label"), first.toString());
    assertTrue(Files.isRegularFile(out.resolve(first.get("overlay").asText())));
    assertTrue(Files.isRegularFile(out.resolve(first.get("mask").asText())));
    assertTrue(Files.isRegularFile(out.resolve(first.get("map").asText())));
  }

  @Test
  void predictScoresEqualWhateverTheBatchSize() throws Exception {
    // Batches go through AnomalyModel.scoreBatch, which must not change a score.
    Path folder = dataset.resolve("test");
    Path one = tmp.resolve("pred-batch-1");
    Path five = tmp.resolve("pred-batch-5");
    Run a = run("predict", "--model", model.toString(), "--output", one.toString(),
        "--batch-size", "1", "--no-images", folder.toString());
    Run b = run("predict", "--model", model.toString(), "--output", five.toString(),
        "--batch-size", "5", "--no-images", "--timings", folder.toString());
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(0, b.exitCode(), b.err());

    assertEquals(Files.readString(one.resolve("predictions.csv")),
        Files.readString(five.resolve("predictions.csv")));
    JsonNode timings = JSON.readTree(five.resolve("timings.json").toFile());
    assertTrue(timings.path("setup_seconds").asDouble() > 0, timings.toString());
    assertTrue(b.out().contains("backbone"), b.out());
  }

  @Test
  void secondPredictIntoABusyFolderStops() throws Exception {
    Path out = tmp.resolve("pred-busy");
    Files.createDirectories(out);
    try (OutputLock held = OutputLock.take(out, "predict")) {
      Run second = run("predict", "--model", model.toString(), "--output", out.toString(),
          "--no-images", dataset.resolve("test").toString());

      assertEquals(Main.EXIT_FAILURE, second.exitCode(), second.out() + second.err());
      assertTrue(second.err().contains("another predict run is writing to " + out),
          second.err());
      assertFalse(Files.exists(out.resolve("predictions.csv")));
    }

    // Once the first run has let go, the folder takes a run as before.
    Run third = run("predict", "--model", model.toString(), "--output", out.toString(),
        "--no-images", dataset.resolve("test").toString());
    assertEquals(0, third.exitCode(), third.err());
  }

  @Test
  void backboneBenchTimesTheModelsBackbone() {
    Run bench = run("backbone", "bench", "--model", model.toString(), "--rounds", "2",
        "--limit", "5", dataset.resolve("test").toString());
    assertEquals(0, bench.exitCode(), bench.err());
    assertTrue(java.util.regex.Pattern.compile("backbone alone: \\S+, 5 inputs, batch 8, \\d+"
        + " threads: [0-9.]+ ms per input at best").matcher(bench.out()).find(), bench.out());
  }

  @Test
  void backboneBenchRejectsZeroRounds() {
    Run bench = run("backbone", "bench", "--model", model.toString(), "--rounds", "0",
        dataset.resolve("test").toString());
    assertEquals(Main.EXIT_INVALID_INPUT, bench.exitCode(), bench.out() + bench.err());
    assertTrue(bench.err().contains("--rounds"), bench.err());
  }

  @Test
  void thresholdsComparesFiveEstimators() throws Exception {
    Path out = tmp.resolve("thresholds");
    Run cmd = run("thresholds", "--model", model.toString(), "--dataset", dataset.toString(),
        "--output", out.toString());
    assertEquals(0, cmd.exitCode(), cmd.err());
    JsonNode json = JSON.readTree(out.resolve("thresholds.json").toFile());
    assertEquals(5, json.get("estimators").size());
    for (String name : List.of("f1", "iou-curve", "normal-stats", "normal-quantile", "roc")) {
      assertTrue(cmd.out().contains(name), cmd.out());
    }
  }

  @Test
  void labelsSuggestThenTestBreaksDownByCategory() throws Exception {
    Path labels = tmp.resolve("labels.csv");
    Run suggest = run("labels", "suggest", "--dataset", dataset.toString(), "--output",
        labels.toString());
    assertEquals(0, suggest.exitCode(), suggest.err());
    Run check = run("labels", "check", "--dataset", dataset.toString(), "--labels",
        labels.toString());
    assertEquals(0, check.exitCode(), check.out() + check.err());

    Path report = tmp.resolve("report-labels");
    Run test = run("test", "--model", model.toString(), "--dataset", dataset.toString(),
        "--labels", labels.toString(), "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
    // The synthetic defect types have no default mapping, so all fall back to surface.
    assertTrue(metrics.path("per_category").has("surface"), metrics.toString());
    assertTrue(metrics.path("per_background").size() > 0, metrics.toString());
    assertTrue(metrics.path("per_defect_type").has(TinyDatasets.SCRATCH));
  }

  @Test
  void labelRowForMissingImageIsNamed() throws Exception {
    Path labels = tmp.resolve("bad-labels.csv");
    Files.writeString(labels, "path,product,background,category,note\n"
        + "test/scratch/nope.png," + dataset.getFileName() + ",with,surface,\n");
    Run test = run("test", "--model", model.toString(), "--dataset", dataset.toString(),
        "--labels", labels.toString(), "--output", tmp.resolve("r3").toString());
    assertEquals(Main.EXIT_INVALID_INPUT, test.exitCode(), test.err());
    assertTrue(test.err().contains("test/scratch/nope.png"), test.err());
  }

  @Test
  void outputThatIsAFileFailsBeforeWork() throws Exception {
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    Run test = run("test", "--model", model.toString(), "--dataset", dataset.toString(),
        "--output", file.toString());
    assertEquals(Main.EXIT_INVALID_INPUT, test.exitCode(), test.err());
    assertTrue(test.err().contains("is a file"), test.err());
  }

  @Test
  void predictSkipsItsOwnOutputs() throws Exception {
    Path input = tmp.resolve("predict-in");
    Files.createDirectories(input);
    Files.copy(dataset.resolve("test/good").toFile().listFiles()[0].toPath(),
        input.resolve("one.png"));
    Path out = input.resolve("preds");
    for (int i = 0; i < 2; i++) {
      Run predict = run("predict", "--model", model.toString(), "--output", out.toString(),
          input.toString());
      assertEquals(0, predict.exitCode(), predict.err());
      assertEquals(1, Files.readAllLines(out.resolve("predictions.jsonl")).size());
    }
  }

  @Test
  void missingValidationImageStaysOutOfTest() throws Exception {
    // Copy the dataset and delete one recorded validation image: the others must still be
    // left out of the test set, and the report must state that the split is not the fit's.
    Path copy = tmp.resolve("copy");
    try (var walk = Files.walk(dataset)) {
      for (Path p : walk.toList()) {
        Path target = copy.resolve(dataset.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    JsonNode ids = JSON.readTree(
            org.flawmap.model.io.ModelFile.readManifest(model).toString())
        .path("provenance").path("split").path("validation_ids");
    String removed = null;
    for (JsonNode id : ids) {
      if (id.asText().startsWith("test/good/")) {
        removed = id.asText();
      }
    }
    Files.delete(copy.resolve(removed));

    Path report = tmp.resolve("report-copy");
    Run test = run("test", "--model", model.toString(), "--dataset", copy.toString(),
        "--output", report.toString());
    assertEquals(0, test.exitCode(), test.err());
    JsonNode metrics = JSON.readTree(report.resolve("metrics.json").toFile());
    assertEquals(false, metrics.path("split").path("repeated_from_model").asBoolean());
    assertEquals(removed, metrics.path("split").path("missing_validation_ids").get(0).asText());
    assertEquals(ids.size() - 1, metrics.path("split").path("validation_ids").size());
  }

  @Test
  void missingDatasetExitsWithInvalidInput() {
    Run fit = run("fit", "--dataset", tmp.resolve("nowhere").toString(), "--output",
        tmp.resolve("x.flawmap").toString(), "--backbone", backbone);
    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("nowhere"), fit.err());
  }

  @Test
  void damagedModelExitsWithInvalidInput() throws Exception {
    Path bad = tmp.resolve("bad.flawmap");
    Files.write(bad, new byte[] {1, 2, 3});
    Run test = run("test", "--model", bad.toString(), "--dataset", dataset.toString(),
        "--output", tmp.resolve("r2").toString());
    assertEquals(Main.EXIT_INVALID_INPUT, test.exitCode(), test.err());
    assertTrue(test.err().contains("bad.flawmap"), test.err());
  }

  @Test
  void modelFolderExitsWithInvalidInput() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("model-folder"));
    String expected = "model file " + folder + " is a folder, not a model file";
    Run predict = run("predict", "--model", folder.toString(), "--output",
        tmp.resolve("p-folder").toString(), dataset.resolve("test").toString());
    Run test = run("test", "--model", folder.toString(), "--dataset", dataset.toString(),
        "--output", tmp.resolve("t-folder").toString());

    assertEquals(Main.EXIT_INVALID_INPUT, predict.exitCode(), predict.err());
    assertTrue(predict.err().contains(expected), predict.err());
    assertEquals(Main.EXIT_INVALID_INPUT, test.exitCode(), test.err());
    assertTrue(test.err().contains(expected), test.err());
  }

  @Test
  void rejectedPredictCreatesNoOutputFolder() throws Exception {
    Path imagelessFolder = Files.createDirectories(tmp.resolve("no-images"));
    Path missingModel = tmp.resolve("absent.flawmap");

    Run noImages = run("predict", "--model", model.toString(), "--output",
        tmp.resolve("p-empty").toString(), imagelessFolder.toString());
    Run noModel = run("predict", "--model", missingModel.toString(), "--output",
        tmp.resolve("p-absent").toString(), dataset.resolve("test").toString());

    assertEquals(Main.EXIT_INVALID_INPUT, noImages.exitCode(), noImages.err());
    assertTrue(noImages.err().contains("no PNG, JPEG or BMP image found in " + imagelessFolder),
        noImages.err());
    assertFalse(Files.exists(tmp.resolve("p-empty")), "output folder of the run without images");
    assertEquals(Main.EXIT_INVALID_INPUT, noModel.exitCode(), noModel.err());
    assertTrue(noModel.err().contains(missingModel.toString()), noModel.err());
    assertFalse(Files.exists(tmp.resolve("p-absent")), "output folder of the run without model");
  }

  private Run fitWith(String name, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("fit", "--dataset", dataset.toString(),
        "--output", tmp.resolve(name + ".flawmap").toString(), "--backbone", backbone));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void optionsOfAnotherModelAreRejected() {
    Run patchcoreOnPadim = fitWith("o1", "--model", "padim", "--patchcore-coreset-ratio", "5");
    Run padimOnCflow = fitWith("o2", "--model", "cflow", "--padim-dimension", "5");
    Run padimDefaultOnPatchcore =
        fitWith("o3", "--model", "patchcore", "--padim-dimension", "100");

    assertEquals(Main.EXIT_INVALID_INPUT, patchcoreOnPadim.exitCode(), patchcoreOnPadim.err());
    assertTrue(patchcoreOnPadim.err().contains("--patchcore-coreset-ratio applies to --model"
        + " patchcore only"), patchcoreOnPadim.err());
    assertEquals(Main.EXIT_INVALID_INPUT, padimOnCflow.exitCode(), padimOnCflow.err());
    assertTrue(padimOnCflow.err().contains("--padim-dimension"), padimOnCflow.err());
    assertEquals(Main.EXIT_INVALID_INPUT, padimDefaultOnPatchcore.exitCode(),
        padimDefaultOnPatchcore.err());
  }

  @Test
  void repeatedModelOptionIsRejected() {
    Run fit = fitWith("o4", "--model", "cflow", "--model-option", "epochs=1",
        "--model-option", "epochs=2");

    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("--model-option epochs is given more than once"), fit.err());
  }

  @Test
  void blurSigmaTwiceIsRejected() {
    Run fit = fitWith("o5", "--model", "cflow", "--blur-sigma", "2", "--model-option",
        "blur_sigma=8");

    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("give only one of them"), fit.err());
  }

  @Test
  void checkpointFileFailsBeforeData() throws Exception {
    Path file = Files.writeString(tmp.resolve("checkpoint.txt"), "x");
    Run fit = run("fit", "--dataset", tmp.resolve("no-dataset").toString(), "--output",
        tmp.resolve("o6.flawmap").toString(), "--backbone", backbone, "--model", "cflow",
        "--model-option", "checkpoint=" + file);

    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("checkpoint " + file + " is a file, not a folder"), fit.err());
  }

  @Test
  void modelsPointsBuiltInTypesToFlags() {
    Run models = run("models");

    assertEquals(0, models.exitCode(), models.err());
    assertTrue(models.out().contains("the --padim-* options"), models.out());
    assertTrue(models.out().contains("the --patchcore-* options"), models.out());
    assertTrue(models.out().contains("docs/models/cflow.md"), models.out());
  }

  @Test
  void unknownEstimatorNamesTheValidOnes() {
    Run fit = run("fit", "--dataset", dataset.toString(), "--output",
        tmp.resolve("y.flawmap").toString(), "--backbone", backbone, "--threshold", "magic");
    assertEquals(Main.EXIT_INVALID_INPUT, fit.exitCode(), fit.err());
    assertTrue(fit.err().contains("iou-curve"), fit.err());
  }

  @Test
  void unknownOptionIsUsageError() {
    Run r = run("fit", "--no-such-option");
    assertEquals(Main.EXIT_USAGE, r.exitCode());
  }

  @Test
  void helpExplainsUnits() {
    Run r = run("fit", "--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("--blur-sigma"), r.out());
    assertTrue(r.out().contains("pixels"), r.out());
  }
}
