package org.flawmap.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What the Spark tests share: one local-mode session for the whole test JVM (starting Spark
 * takes seconds), the default backbone and in-process runs of the job and of {@code flawmap}.
 */
final class TestSpark {

  private static SparkSession session;

  /** Output of one in-process run of a command line. */
  record Run(int exitCode, String out, String err) {}

  /** A command line that returns its exit code. */
  interface Command {
    int run();
  }

  private TestSpark() {}

  /**
   * Returns the shared session: two local threads, web UI off, driver on the loopback address.
   * Spark's own shutdown hook stops it when the test JVM exits.
   */
  static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("flawmap-spark-test")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .getOrCreate();
    }
    return session;
  }

  /**
   * Cancels what is left of failed jobs and waits, up to 30 s, until no stage runs. When a job
   * fails on one task, Spark returns before the other tasks of its stage have stopped, and
   * those may still write into a test's temporary folder while JUnit deletes it.
   */
  static void awaitIdle() throws InterruptedException {
    if (session == null) {
      return;
    }
    session.sparkContext().cancelAllJobs();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (session.sparkContext().statusTracker().getActiveStageIds().length > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  static Path home() {
    return Path.of(System.getProperty("flawmap.home", ".")).toAbsolutePath().normalize();
  }

  /**
   * Returns the default backbone: the one that ./setup.sh installs, else the one that the
   * flawmap-cli tests convert from the nsfwjs npm package into build/, else skips the test.
   * The conversion itself is left to flawmap-cli, because it needs the ONNX protobuf classes
   * that this module keeps off its class path.
   */
  static Path backbone() {
    Path installed = home().resolve("backbones/mobilenet_v2_nsfwjs");
    if (Files.isRegularFile(installed.resolve("backbone.json"))) {
      return installed;
    }
    Path converted = home().resolve("build/test-backbone");
    assumeTrue(
        Files.isRegularFile(converted.resolve("backbone.json")),
        "skipped: the default backbone is neither installed at " + installed
            + " nor converted at " + converted + "; run ./setup.sh, or the flawmap-cli tests");
    return converted;
  }

  /** Runs the Spark job in the shared session. */
  static Run job(String... args) {
    return capture(() -> ScoreImagesJob.execute(session(), args));
  }

  /** Runs {@code flawmap} in process. */
  static Run flawmap(String... args) {
    return capture(() -> org.flawmap.cli.Main.execute(args));
  }

  private static synchronized Run capture(Command command) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = command.run();
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
