package org.flawmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job and {@code flawmap predict} on the real magnetic tile test images with one
 * PaDiM model: every image must get the same score, label and defect area.
 *
 * <p>Scores are compared exactly. Both paths run the same decoder, backbone and
 * {@link org.flawmap.inference.Inspector} on the same bytes, and {@code predictions.jsonl}
 * prints each double in Jackson's shortest form that parses back to the same double, so any
 * difference at all means the two paths diverged.
 */
class MagneticTileParityTest {

  /** Training images for the model; a subset keeps the fit to a few seconds. */
  private static final int TRAIN_IMAGES = 80;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void sparkScoresEqualPredictScores() throws Exception {
    Path data =
        Path.of(System.getProperty("flawmap.home", "."))
            .resolve("../shared/data/magnetic_tile")
            .toAbsolutePath()
            .normalize();
    assumeTrue(
        Files.isDirectory(data.resolve("train/good")),
        "skipped: real data not found at " + data + " (a fresh clone has no ../shared)");
    Path backbone = TestSpark.backbone();

    Path dataset = subset(data, tmp.resolve("magnetic_tile"));
    Path model = tmp.resolve("model.flawmap");
    TestSpark.Run fit = TestSpark.flawmap("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", backbone.toString());
    assertEquals(0, fit.exitCode(), fit.err());

    Path test = data.resolve("test");
    Path predictions = tmp.resolve("predict");
    TestSpark.Run predict = TestSpark.flawmap("predict", "--model", model.toString(),
        "--no-images", "--output", predictions.toString(), test.toString());
    assertEquals(0, predict.exitCode(), predict.err());
    Map<String, JsonNode> expected = new HashMap<>();
    for (String line : Files.readAllLines(predictions.resolve("predictions.jsonl"))) {
      JsonNode node = JSON.readTree(line);
      expected.put(node.get("image").asText(), node);
    }

    int readsBefore = ExecutorModels.readCount();
    Path out = tmp.resolve("scores.parquet");
    TestSpark.Run job = TestSpark.job("--model", model.toString(), "--images", test.toString(),
        "--output", out.toString(), "--partitions", "4");
    assertEquals(0, job.exitCode(), job.err());
    assertEquals(readsBefore + 1, ExecutorModels.readCount(),
        "the model file must be read once in this JVM, not once per partition");

    List<Row> rows = TestSpark.session().read().parquet(out.toString()).collectAsList();
    assertEquals(expected.size(), rows.size());
    for (Row row : rows) {
      String path = row.getString(row.fieldIndex("path"));
      JsonNode want = expected.get(path);
      assertNotNull(want, "predict did not score " + path);
      assertNull(row.getString(row.fieldIndex("error")), path);
      assertEquals(want.get("image_score").asDouble(),
          row.getDouble(row.fieldIndex("image_score")), 0.0, path);
      assertEquals(want.get("label").asText(), row.getString(row.fieldIndex("label")), path);
      assertEquals(want.get("defect_pixels").asInt(), row.getInt(row.fieldIndex("defect_area")),
          path);
      assertEquals(want.get("pixel_threshold").asDouble(),
          row.getDouble(row.fieldIndex("pixel_threshold")), 0.0, path);
    }
  }

  /**
   * Links the first {@value #TRAIN_IMAGES} training images and every test and ground-truth file
   * of {@code data} into {@code root}, file by file, so that the dataset reader sees an
   * ordinary MVTec AD tree.
   */
  private static Path subset(Path data, Path root) throws Exception {
    List<Path> train;
    try (Stream<Path> list = Files.list(data.resolve("train/good"))) {
      train = list.sorted().limit(TRAIN_IMAGES).toList();
    }
    for (Path image : train) {
      link(data, root, image);
    }
    for (String folder : List.of("test", "ground_truth")) {
      try (Stream<Path> walk = Files.walk(data.resolve(folder))) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          link(data, root, file);
        }
      }
    }
    return root;
  }

  private static void link(Path data, Path root, Path file) throws Exception {
    Path target = root.resolve(data.relativize(file).toString());
    Files.createDirectories(target.getParent());
    Files.createSymbolicLink(target, file);
  }
}
