package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flawmap.report.PredictionJournal;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming, unreadable images and write failures of {@code predict}, with the real backbone. */
class PredictResumeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path images;
  static Path model;
  static int imageCount;

  @BeforeAll
  static void fit() throws Exception {
    Path dataset =
        TinyDatasets.writeMvtec(
            tmp, TinyDatasets.Options.defaults().withCounts(8, 4, 3).withSize(64, 64));
    model = tmp.resolve("model.flawmap");
    CliTest.Run fit = CliTest.run("fit", "--dataset", dataset.toString(), "--output",
        model.toString(), "--backbone", TestBackbone.folder().toString(),
        "--padim-dimension", "20");
    assertEquals(0, fit.exitCode(), fit.err());
    images = dataset.resolve("test");
    try (var walk = Files.walk(images)) {
      imageCount = (int) walk.filter(Files::isRegularFile).count();
    }
  }

  @AfterEach
  void resetHook() {
    PredictCommand.finishedListener = count -> {};
  }

  private static CliTest.Run predict(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(),
        "--output", out.toString(), "--batch-size", "2"));
    args.addAll(List.of(extra));
    args.add(images.toString());
    return CliTest.run(args.toArray(String[]::new));
  }

  private static Map<Path, FileTime> pngTimes(Path out) throws IOException {
    Map<Path, FileTime> times = new HashMap<>();
    try (var walk = Files.walk(out)) {
      for (Path p : walk.filter(p -> p.toString().endsWith(".png")).toList()) {
        times.put(p, Files.getLastModifiedTime(p));
      }
    }
    return times;
  }

  @Test
  void interruptedRunResumesWithoutRedoing() throws Exception {
    Path clean = tmp.resolve("clean");
    CliTest.Run first = predict(clean);
    assertEquals(0, first.exitCode(), first.err());

    Path out = tmp.resolve("resumed");
    int stopAt = 3;
    PredictCommand.finishedListener = count -> {
      if (count == stopAt) {
        throw new IOException("stopped by the test after " + stopAt + " images");
      }
    };
    CliTest.Run stopped = predict(out);
    assertEquals(Main.EXIT_FAILURE, stopped.exitCode(), stopped.err());
    assertTrue(stopped.err().contains("stopped by the test"), stopped.err());
    int journaled = Files.readAllLines(out.resolve(PredictionJournal.FILE_NAME)).size();
    assertTrue(journaled >= stopAt, "journal lines: " + journaled);
    assertTrue(journaled < imageCount, "journal lines: " + journaled);
    Map<Path, FileTime> before = pngTimes(out);
    assertTrue(before.size() >= 3 * journaled, before.toString());

    AtomicInteger redone = new AtomicInteger();
    PredictCommand.finishedListener = count -> redone.incrementAndGet();
    CliTest.Run resumed = predict(out);
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("resumed: %d done earlier, %d to do"
        .formatted(journaled, imageCount - journaled)), resumed.out());
    assertEquals(imageCount - journaled, redone.get());
    Map<Path, FileTime> after = pngTimes(out);
    for (Path png : before.keySet()) {
      assertEquals(before.get(png), after.get(png), png + " was written again");
    }

    assertEquals(Files.readString(clean.resolve("predictions.csv")),
        Files.readString(out.resolve("predictions.csv")));
    assertEquals(Files.readString(clean.resolve("predictions.jsonl")),
        Files.readString(out.resolve("predictions.jsonl")));
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(imageCount, summary.get("predicted").asInt());
    assertEquals(journaled, summary.get("done_earlier").asInt());
    assertEquals(imageCount - journaled, summary.get("done_now").asInt());
  }

  @Test
  void finishedRunRedoesNothing() throws Exception {
    Path out = tmp.resolve("twice");
    assertEquals(0, predict(out).exitCode());
    AtomicInteger redone = new AtomicInteger();
    PredictCommand.finishedListener = count -> redone.incrementAndGet();
    CliTest.Run again = predict(out);
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(0, redone.get());
    List<String> csv = Files.readAllLines(out.resolve("predictions.csv"));
    assertEquals(imageCount + 1, csv.size());
  }

  @Test
  void otherModelRedoesEverything() throws Exception {
    Path out = tmp.resolve("other-model");
    assertEquals(0, predict(out).exitCode());
    // Records made with another model file carry another SHA-256.
    Path journal = out.resolve(PredictionJournal.FILE_NAME);
    String sha = PredictionJournal.sha256(model);
    Files.writeString(journal, Files.readString(journal).replace(sha, "0".repeat(64)));

    AtomicInteger redone = new AtomicInteger();
    PredictCommand.finishedListener = count -> redone.incrementAndGet();
    CliTest.Run again = predict(out);
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(imageCount, redone.get());
    assertTrue(!again.out().contains("resumed:"), again.out());
  }

  @Test
  void unreadableImageIsListedNotFatal() throws Exception {
    Path input = tmp.resolve("with-bad");
    Files.createDirectories(input);
    Path good;
    try (var walk = Files.walk(images.resolve("good"))) {
      good = walk.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.copy(good, input.resolve("a.png"));
    Files.writeString(input.resolve("b.png"), "not a PNG");
    Path out = tmp.resolve("bad-out");

    CliTest.Run run = CliTest.run("predict", "--model", model.toString(), "--output",
        out.toString(), input.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("1 unreadable"), run.out());
    assertTrue(run.out().contains("b.png"), run.out());
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(1, summary.get("unreadable").asInt());
    assertEquals(1, summary.get("predicted").asInt());
    assertTrue(summary.get("unreadable_images").get(0).get("image").asText().endsWith("b.png"));
    assertEquals(2, Files.readAllLines(out.resolve("predictions.csv")).size());

    CliTest.Run strict = CliTest.run("predict", "--model", model.toString(), "--output",
        tmp.resolve("bad-strict").toString(), "--fail-on-bad-image", input.toString());
    assertEquals(Main.EXIT_INVALID_INPUT, strict.exitCode(), strict.err());
    assertTrue(strict.err().contains("b.png"), strict.err());

    CliTest.Run deprecated = CliTest.run("predict", "--model", model.toString(), "--output",
        tmp.resolve("bad-old-flag").toString(), "--skip-bad-files", input.toString());
    assertEquals(0, deprecated.exitCode(), deprecated.err());
    assertTrue(deprecated.out().contains("1 unreadable"), deprecated.out());
  }

  @Test
  void failedWriteNamesFile() throws Exception {
    Path out = tmp.resolve("blocked");
    // A folder where the first image's map goes makes the rename onto it fail.
    Path firstImage;
    try (var walk = Files.walk(images)) {
      firstImage = walk.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    String name = images.relativize(firstImage).toString().replaceAll("\\.png$", "");
    Path blocker = out.resolve(name + ".map.png");
    Files.createDirectories(blocker.resolve("child"));

    CliTest.Run run = predict(out);
    assertNotEquals(0, run.exitCode(), run.out());
    assertTrue(run.err().contains(blocker.getFileName().toString()), run.err());
    assertTrue(!Files.exists(out.resolve("predictions.csv")), "table written after failure");
  }

  @Test
  void timingsReportStages() throws Exception {
    Path out = tmp.resolve("timed");
    CliTest.Run run = predict(out, "--timings", "--no-images");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode timings = JSON.readTree(out.resolve("timings.json").toFile());
    assertEquals(imageCount, timings.get("images").asInt());
    for (String stage : List.of("decode", "backbone", "scoring", "writing")) {
      assertTrue(timings.path("stage_ms_per_image").has(stage), timings.toString());
    }
    assertTrue(timings.path("stage_ms_per_image").get("backbone").asDouble() > 0);
    assertTrue(timings.path("latency_ms").get("p95").asDouble()
        >= timings.path("latency_ms").get("p50").asDouble());
  }
}
