package org.flawmap.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.flawmap.model.io.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores every image of a folder or of a Parquet list with a model file on Spark and writes one
 * Parquet row per image ({@link ScoreRows#SCHEMA}). Without a configured master it runs in
 * local mode on all cores. Exit codes are those of {@code flawmap}: 0 success, 1 failure while
 * running, 2 invalid command line, 3 invalid input (the message names it).
 */
@Command(
    name = "flawmap-spark",
    mixinStandardHelpOptions = true,
    description = {
      "Score images with a flawmap model file on Apache Spark. Writes a Parquet folder with one"
          + " row per image: path, image score, label, thresholds, defect area, regions and,"
          + " for unreadable images, the error."
    })
public final class ScoreImagesJob implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ScoreImagesJob.class);

  /** Error rows printed at the end of a run; the rest are only in the Parquet output. */
  private static final int LISTED_ERRORS = 20;

  /** The image source: exactly one of the two options. */
  static final class Input {
    @Option(
        names = "--images",
        required = true,
        paramLabel = "DIR",
        description = "Folder searched recursively for PNG, JPEG and BMP files.")
    Path folder;

    @Option(
        names = "--paths",
        required = true,
        paramLabel = "PARQUET",
        description = "Parquet file or folder with a string column 'path' of image files: a"
            + " local path or a URL that Spark reads, such as hdfs://...")
    String parquet;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL_FILE",
      description = "Model file written by flawmap fit.")
  Path model;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Parquet folder to write, one row per image: a local path or a URL that"
          + " Spark writes, such as hdfs://...")
  String output;

  @Option(
      names = "--overwrite",
      description = "Replace --output if it exists, instead of stopping.")
  boolean overwrite;

  @Option(
      names = "--masks",
      paramLabel = "DIR",
      description = "Also write each predicted mask as DIR/NAME.mask.png (255 on defects).")
  Path masks;

  @Option(
      names = "--fail-on-bad-image",
      description = "Stop at the first unreadable image, instead of listing it in 'error'.")
  boolean failOnBadImage;

  @Option(
      names = "--ship-model",
      description = "Send the model file to executors with SparkContext.addFile, for clusters"
          + " whose executors cannot read --model's path.")
  boolean shipModel;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      paramLabel = "N",
      description = "Images per backbone call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Backbone threads per executor (default: spark.task.cpus, which is 1"
          + " unless configured).")
  Integer threads;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Partitions of the image list (default: Spark's default parallelism).")
  Integer partitions;

  /** The session to run in; null until {@link #call} creates one from the configuration. */
  private SparkSession spark;

  public static void main(String[] args) {
    System.exit(execute(null, args));
  }

  /**
   * Runs the job and returns its exit code.
   *
   * @param spark the session to use, or null to create one (and stop it at the end)
   */
  public static int execute(SparkSession spark, String... args) {
    ScoreImagesJob job = new ScoreImagesJob();
    job.spark = spark;
    CommandLine cli = new CommandLine(job);
    cli.setExecutionExceptionHandler(new JobErrors());
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    String sha256 = ExecutorModels.sha256(model);
    boolean outputExisted = isUrl(output) || Files.exists(Path.of(output));
    boolean ownSession = spark == null;
    if (ownSession) {
      spark = SparkSession.builder().config(defaultConf()).getOrCreate();
    }
    boolean failed = true;
    try {
      int code = score(sha256);
      failed = false;
      return code;
    } finally {
      // Stopping first ends the aborted write's tasks, which may still be writing.
      if (ownSession) {
        spark.stop();
      }
      if (failed && !outputExisted && !isUrl(output)) {
        removeEmptyOutput(Path.of(output));
      }
    }
  }

  private int score(String sha256) throws Exception {
    long start = System.nanoTime();
    int slices = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
    int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    String modelPath = model.toAbsolutePath().normalize().toString();
    if (shipModel) {
      spark.sparkContext().addFile(modelPath);
      modelPath = model.getFileName().toString();
    }
    ScoringSettings settings =
        new ScoringSettings(
            modelPath, shipModel, sha256, batchSize, threads != null ? threads : taskCpus,
            input.folder != null ? input.folder.toAbsolutePath().normalize().toString() : null,
            masks != null ? masks.toAbsolutePath().normalize().toString() : null,
            failOnBadImage);

    Dataset<Row> images;
    if (input.folder != null) {
      List<Path> excluded = new ArrayList<>();
      if (!isUrl(output)) {
        excluded.add(Path.of(output));
      }
      if (masks != null) {
        excluded.add(masks);
      }
      images = ImageSources.fromFolder(spark, input.folder, excluded, slices);
    } else {
      images = ImageSources.fromParquet(spark, input.parquet, slices);
    }
    log.info("Scoring with {} (SHA-256 {}) in {} partitions", model, sha256, slices);

    Dataset<Row> scored =
        images.mapPartitions(new PartitionScorer(settings), Encoders.row(ScoreRows.SCHEMA));
    scored.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .parquet(output);
    double seconds = (System.nanoTime() - start) / 1e9;

    printSummary(seconds);
    return 0;
  }

  private void printSummary(double seconds) {
    Dataset<Row> written = spark.read().parquet(output);
    long total = written.count();
    long anomalous = written.filter(functions.col("label").equalTo(ScoreRows.ANOMALOUS)).count();
    Dataset<Row> errors = written.filter(functions.col("error").isNotNull());
    long errorCount = errors.count();
    System.out.printf(
        Locale.ROOT,
        "scored %d images in %.1f s (%.1f images/s): %d anomalous, %d normal, %d unreadable;"
            + " see %s%n",
        total, seconds, total / seconds, anomalous, total - anomalous - errorCount, errorCount,
        output);
    List<Row> listed =
        errors.select("path", "error").orderBy("path").limit(LISTED_ERRORS).collectAsList();
    for (Row row : listed) {
      System.out.println("unreadable " + row.getString(1));
    }
    if (errorCount > listed.size()) {
      System.out.printf(
          "... and %d more; read the rows whose 'error' is set in %s%n",
          errorCount - listed.size(), output);
    }
  }

  private void checkOptions() throws java.io.IOException {
    ModelFile.requireNotFolder(model);
    if (!Files.isRegularFile(model)) {
      throw new ImageSources.InvalidInputException(
          "model file " + model + " not found; write one with flawmap fit");
    }
    ModelFile.readManifest(model);
    if (batchSize < 1 || batchSize > 256) {
      throw new ImageSources.InvalidInputException(
          "--batch-size must be between 1 and 256 images, found " + batchSize);
    }
    if (threads != null && threads < 1) {
      throw new ImageSources.InvalidInputException(
          "--threads must be at least 1, found " + threads);
    }
    if (partitions != null && partitions < 1) {
      throw new ImageSources.InvalidInputException(
          "--partitions must be at least 1, found " + partitions);
    }
    if (input.folder != null && !Files.isDirectory(input.folder)) {
      throw new ImageSources.InvalidInputException(
          "--images folder " + input.folder + " not found");
    }
    if (input.parquet != null && !isUrl(input.parquet) && !Files.exists(Path.of(input.parquet))) {
      throw new ImageSources.InvalidInputException(
          "--paths Parquet " + input.parquet + " not found");
    }
    // Writing the Parquet output replaces the --output folder, which would delete masks in it.
    if (masks != null && !isUrl(output)) {
      Path outputFolder = Path.of(output).toAbsolutePath().normalize();
      Path masksFolder = masks.toAbsolutePath().normalize();
      if (masksFolder.startsWith(outputFolder)) {
        throw new ImageSources.InvalidInputException(
            ("--masks %s is %s --output %s, which the Parquet writer replaces; choose a masks"
                    + " folder outside the output folder")
                .formatted(masks, masksFolder.equals(outputFolder) ? "the same folder as"
                    : "inside", output));
      }
    }
    // Spark itself rejects an existing URL output, because SaveMode.ErrorIfExists is the default.
    if (!isUrl(output) && Files.exists(Path.of(output)) && !overwrite) {
      throw new ImageSources.InvalidInputException(
          "--output " + output + " exists; add --overwrite or choose another folder");
    }
  }

  /**
   * Deletes the output folder that a failed job created, when it contains folders only. Spark's
   * aborted Parquet write removes its temporary files but keeps the folder, and an existing
   * folder would make the next run stop for want of {@code --overwrite}. A folder with any
   * file in it is kept.
   */
  static void removeEmptyOutput(Path folder) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (var walk = Files.walk(folder)) {
      List<Path> entries = walk.sorted(java.util.Comparator.reverseOrder()).toList();
      if (entries.stream().allMatch(Files::isDirectory)) {
        for (Path entry : entries) {
          Files.delete(entry);
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      log.warn("Could not remove the empty output folder {} of the failed job: {}", folder,
          e.toString());
    }
  }

  /** Returns whether {@code location} is a URL with a scheme, such as hdfs://, not a path. */
  static boolean isUrl(String location) {
    return location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  /**
   * Returns the configuration from {@code spark.*} system properties (what spark-submit sets),
   * with local mode on all cores when no master is set. In local mode, with any number of
   * threads, the driver binds to the loopback address and the web UI stays off unless
   * configured otherwise.
   */
  static SparkConf defaultConf() {
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.app.name", "flawmap-score");
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    return conf;
  }
}
