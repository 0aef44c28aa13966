package org.flawmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on tiny synthetic images with the real default backbone, bad files included. */
class SyntheticJobTest {

  @TempDir static Path tmp;
  static Path images;
  static Path model;
  static List<Path> goodImages;
  static Path broken;

  /** Lets the tasks of a failed job stop before the next test or the folder's removal. */
  @AfterEach
  void waitForSpark() throws InterruptedException {
    TestSpark.awaitIdle();
  }

  @AfterAll
  static void waitForSparkAtEnd() throws InterruptedException {
    TestSpark.awaitIdle();
  }

  @BeforeAll
  static void fitAndWriteImages() throws Exception {
    Path backbone = TestSpark.backbone();
    Path dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(8, 3, 2).withSize(64, 64));
    model = tmp.resolve("model.flawmap");
    TestSpark.Run fit = TestSpark.flawmap("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", backbone.toString(), "--padim-dimension", "40");
    assertEquals(0, fit.exitCode(), fit.err());

    images = dataset.resolve("test");
    try (Stream<Path> walk = Files.walk(images)) {
      goodImages = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    broken = images.resolve("good/broken.png");
    Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
  }

  static Map<String, Row> read(Path parquet) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : TestSpark.session().read().parquet(parquet.toString()).collectAsList()) {
      rows.put(row.getString(row.fieldIndex("path")), row);
    }
    return rows;
  }

  @Test
  void folderInputListsBadImageAndWritesMasks() {
    Path out = tmp.resolve("folder.parquet");
    Path masks = tmp.resolve("masks");
    TestSpark.Run run = TestSpark.job("--model", model.toString(), "--images", images.toString(),
        "--output", out.toString(), "--masks", masks.toString(), "--partitions", "3");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("1 unreadable"), run.out());
    assertTrue(run.out().contains("broken.png"), run.out());

    Map<String, Row> rows = read(out);
    assertEquals(goodImages.size() + 1, rows.size());
    Row bad = rows.get(broken.toString());
    assertNotNull(bad, rows.keySet().toString());
    assertTrue(bad.getString(bad.fieldIndex("error")).contains("broken.png"), bad.toString());
    assertTrue(bad.isNullAt(bad.fieldIndex("image_score")));

    for (Path image : goodImages) {
      Row row = rows.get(image.toString());
      assertNotNull(row, image.toString());
      assertNull(row.getString(row.fieldIndex("error")), row.toString());
      String label = row.getString(row.fieldIndex("label"));
      double score = row.getDouble(row.fieldIndex("image_score"));
      double imageThreshold = row.getDouble(row.fieldIndex("image_threshold"));
      assertEquals(score >= imageThreshold ? "anomalous" : "normal", label, row.toString());
      assertEquals(64, row.getInt(row.fieldIndex("width")));

      String name = images.relativize(image).toString().replaceAll("\\.png$", "");
      Path mask = masks.resolve(name + ".mask.png");
      assertEquals(mask.toString(), row.getString(row.fieldIndex("mask")));
      assertTrue(Files.isRegularFile(mask), mask.toString());

      int defectArea = row.getInt(row.fieldIndex("defect_area"));
      List<Row> regions = row.getList(row.fieldIndex("regions"));
      int regionArea = 0;
      for (Row region : regions) {
        regionArea += region.getInt(region.fieldIndex("area"));
        double peak = region.getDouble(region.fieldIndex("peak_score"));
        assertTrue(peak >= row.getDouble(row.fieldIndex("pixel_threshold")), region.toString());
      }
      assertEquals(defectArea, regionArea, row.toString());
    }
    long withDefects =
        rows.values().stream().filter(r -> !r.isNullAt(r.fieldIndex("defect_area")))
            .filter(r -> r.getInt(r.fieldIndex("defect_area")) > 0).count();
    assertTrue(withDefects > 0, "no image has predicted defect pixels");
  }

  @Test
  void parquetInputGivesSameScores() {
    Path folderOut = tmp.resolve("reference.parquet");
    TestSpark.Run reference = TestSpark.job("--model", model.toString(), "--images",
        images.toString(), "--output", folderOut.toString());
    assertEquals(0, reference.exitCode(), reference.err());
    int readsBefore = ExecutorModels.readCount();

    Path missing = tmp.resolve("nowhere/missing.png");
    List<Row> pathRows = new ArrayList<>();
    for (Path image : goodImages) {
      pathRows.add(RowFactory.create(image.toString(), "extra column"));
    }
    pathRows.add(RowFactory.create(missing.toString(), "extra column"));
    SparkSession spark = TestSpark.session();
    StructType schema = new StructType()
        .add("path", DataTypes.StringType)
        .add("note", DataTypes.StringType);
    Path list = tmp.resolve("list.parquet");
    spark.createDataFrame(pathRows, schema).write().parquet(list.toString());

    Path out = tmp.resolve("from-list.parquet");
    TestSpark.Run run = TestSpark.job("--model", model.toString(), "--paths", list.toString(),
        "--output", out.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(readsBefore, ExecutorModels.readCount(), "the model file was read again");

    Map<String, Row> expected = read(folderOut);
    Map<String, Row> rows = read(out);
    assertEquals(goodImages.size() + 1, rows.size());
    for (Path image : goodImages) {
      Row want = expected.get(image.toString());
      Row got = rows.get(image.toString());
      assertEquals(want.getDouble(want.fieldIndex("image_score")),
          got.getDouble(got.fieldIndex("image_score")), 0.0, image.toString());
      assertEquals(want.getString(want.fieldIndex("label")),
          got.getString(got.fieldIndex("label")), image.toString());
    }
    Row missingRow = rows.get(missing.toString());
    assertTrue(missingRow.getString(missingRow.fieldIndex("error")).contains("no such file"),
        missingRow.toString());
  }

  @Test
  void shippedModelGivesSameScores() throws Exception {
    Path folderOut = tmp.resolve("before-shipping.parquet");
    TestSpark.Run reference = TestSpark.job("--model", model.toString(), "--images",
        images.toString(), "--output", folderOut.toString());
    assertEquals(0, reference.exitCode(), reference.err());

    // Another provenance gives other bytes and digest, so executors must open the shipped copy.
    ModelBundle bundle = ModelFile.read(model);
    bundle.provenance().put("note", "copy for the --ship-model test");
    Path copy = tmp.resolve("shipped/copy.flawmap");
    Files.createDirectories(copy.getParent());
    ModelFile.write(copy, bundle);
    int readsBefore = ExecutorModels.readCount();

    Path out = tmp.resolve("shipped.parquet");
    TestSpark.Run run = TestSpark.job("--model", copy.toString(), "--images", images.toString(),
        "--output", out.toString(), "--ship-model");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(readsBefore + 1, ExecutorModels.readCount());

    Map<String, Row> expected = read(folderOut);
    Map<String, Row> rows = read(out);
    for (Path image : goodImages) {
      Row want = expected.get(image.toString());
      Row got = rows.get(image.toString());
      assertEquals(want.getDouble(want.fieldIndex("image_score")),
          got.getDouble(got.fieldIndex("image_score")), 0.0, image.toString());
    }
  }

  @Test
  void failOnBadImageStopsWithExitThree() throws java.io.IOException {
    // Spark's tasks can still fill the aborted write's _temporary folder after the job returns.
    // The output therefore goes to a folder of its own, removed on a best-effort basis, because
    // JUnit's removal of its own folder would fail.
    Path folder = Files.createTempDirectory("flawmap-spark-strict");
    Path out = folder.resolve("strict.parquet");
    try {
      TestSpark.Run run = TestSpark.job("--model", model.toString(), "--images",
          images.toString(), "--output", out.toString(), "--fail-on-bad-image");

      assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
      assertTrue(run.err().contains("broken.png"), run.err());
    } finally {
      deleteQuietly(folder);
    }
  }

  private static void deleteQuietly(Path folder) {
    try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // A file that a late task writes stays in the system's temporary folder.
    }
  }

  @Test
  void parquetWithoutPathColumnIsRejected() {
    Path list = tmp.resolve("no-path.parquet");
    TestSpark.session()
        .createDataFrame(List.of(RowFactory.create("x.png")),
            new StructType().add("file", DataTypes.StringType))
        .write().parquet(list.toString());
    TestSpark.Run run = TestSpark.job("--model", model.toString(), "--paths", list.toString(),
        "--output", tmp.resolve("never.parquet").toString());
    assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
    assertTrue(run.err().contains("no column 'path'"), run.err());
    assertTrue(run.err().contains("file"), run.err());
  }

  @Test
  void existingOutputNeedsOverwrite() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("taken.parquet"));
    TestSpark.Run run = TestSpark.job("--model", model.toString(), "--images", images.toString(),
        "--output", out.toString());
    assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
    assertTrue(run.err().contains("--overwrite"), run.err());
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void modelFolderIsNamedAsFolder() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("model-folder"));
    TestSpark.Run run = TestSpark.job("--model", folder.toString(), "--images",
        images.toString(), "--output", tmp.resolve("y.parquet").toString());

    assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
    assertTrue(run.err().contains("model file " + folder + " is a folder"), run.err());
  }

  @Test
  void missingModelFileIsNamed() {
    Path absent = tmp.resolve("absent.flawmap");
    TestSpark.Run run = TestSpark.job("--model", absent.toString(), "--images",
        images.toString(), "--output", tmp.resolve("x.parquet").toString());
    assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
    assertTrue(run.err().contains(absent.toString()), run.err());
  }

  @Test
  void nonParquetPathsFileIsRejected() throws Exception {
    Path list = Files.writeString(tmp.resolve("paths.txt"), "a.png\nb.png\n");
    TestSpark.Run run = TestSpark.job("--model", model.toString(), "--paths", list.toString(),
        "--output", tmp.resolve("never2.parquet").toString());
    assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
    assertTrue(run.err().contains(list + " is not a Parquet file with a path column"),
        run.err());
    assertFalse(run.err().contains("\tat org.apache.spark"), run.err());
  }

  @Test
  void masksInsideOutputAreRejected() {
    Path out = tmp.resolve("scores.parquet");
    for (Path masks : List.of(out, out.resolve("masks"))) {
      TestSpark.Run run = TestSpark.job("--model", model.toString(), "--images",
          images.toString(), "--output", out.toString(), "--masks", masks.toString());
      assertEquals(JobErrors.EXIT_INVALID_INPUT, run.exitCode(), run.err());
      assertTrue(run.err().contains("--masks " + masks), run.err());
      assertTrue(run.err().contains("--output " + out), run.err());
      assertFalse(Files.exists(out), "the job started and wrote " + out);
    }
  }
}
