package org.flawmap.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.flawmap.image.ImageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images to score, as a data frame with one string column {@code path}: either the files
 * of a folder, listed on the driver, or the {@code path} column of a Parquet file or folder
 * (local, or any URL that Spark reads). Executors open the image paths themselves with
 * {@code java.nio.file}, so the paths must name files that every executor can read.
 */
final class ImageSources {

  private static final Logger log = LoggerFactory.getLogger(ImageSources.class);

  static final String PATH = "path";

  static final StructType SCHEMA =
      new StructType(
          new StructField[] {DataTypes.createStructField(PATH, DataTypes.StringType, false)});

  private ImageSources() {}

  /**
   * Lists the images under {@code folder}, recursively and in sorted order: files with an
   * extension that {@link ImageFormat} reads, leaving out hidden files and anything under the
   * {@code excluded} folders (the job's own outputs). Paths are absolute, because executors
   * resolve a relative path against their own working folder.
   *
   * @param partitions number of partitions; consecutive images share a partition
   */
  static Dataset<Row> fromFolder(
      SparkSession spark, Path folder, List<Path> excluded, int partitions) throws IOException {
    List<Path> skip = new ArrayList<>();
    for (Path p : excluded) {
      skip.add(p.toAbsolutePath().normalize());
    }
    List<Row> rows = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> skip.stream().noneMatch(p.toAbsolutePath().normalize()::startsWith))
          .filter(p -> ImageFormat.fromFileName(p.getFileName().toString()).isPresent())
          .sorted()
          .forEach(p -> rows.add(RowFactory.create(p.toAbsolutePath().normalize().toString())));
    }
    if (rows.isEmpty()) {
      throw new InvalidInputException(
          "no PNG, JPEG or BMP image found in " + folder + "; name a folder that contains them");
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(
        context.parallelize(rows, Math.min(partitions, rows.size())), SCHEMA);
  }

  /**
   * Reads the {@code path} column of a Parquet file or folder, spread over {@code partitions}.
   * A missing column, a column of another type or a null path is rejected before scoring.
   */
  static Dataset<Row> fromParquet(SparkSession spark, String parquet, int partitions) {
    Dataset<Row> table = readParquet(spark, parquet);
    StructField column = findColumn(table.schema(), parquet);
    if (!column.dataType().equals(DataTypes.StringType)) {
      throw new InvalidInputException(
          "column '%s' of %s has type %s; it must be a string column of image paths"
              .formatted(PATH, parquet, column.dataType().simpleString()));
    }
    Dataset<Row> paths = table.select(functions.col(PATH));
    long nulls = paths.filter(functions.col(PATH).isNull()).count();
    if (nulls > 0) {
      throw new InvalidInputException(
          "%d rows of %s have no path (null in column '%s'); remove or fill them"
              .formatted(nulls, parquet, PATH));
    }
    return spark.createDataFrame(paths.repartition(partitions).javaRDD(), SCHEMA);
  }

  /**
   * Reads the schema of {@code parquet}. Spark fails with a long stack trace on a file that is
   * not Parquet, so that failure becomes an invalid input, with the stack logged at DEBUG.
   */
  private static Dataset<Row> readParquet(SparkSession spark, String parquet) {
    try {
      return spark.read().parquet(parquet);
    } catch (Exception e) {
      log.debug("Reading {} as Parquet failed", parquet, e);
      throw new InvalidInputException(
          ("%s is not a Parquet file with a path column; Spark could not read it (%s). Write the"
                  + " image paths as Parquet with a string column '%s', or use --images DIR")
              .formatted(parquet, firstLine(e), PATH));
    }
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static StructField findColumn(StructType schema, String parquet) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(PATH)) {
        return field;
      }
    }
    throw new InvalidInputException(
        ("%s has no column '%s' (columns: %s); write the image paths into a string column"
                + " named '%s'")
            .formatted(parquet, PATH, String.join(", ", schema.fieldNames()), PATH));
  }

  /** An input that the job rejects before scoring; the message names it and the fix. */
  static final class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidInputException(String message) {
      super(message);
    }
  }
}
