package org.flawmap.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.BatchRunner;
import org.flawmap.inference.Inspection;
import org.flawmap.report.MapImages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the images of one partition with the same calls as {@code flawmap predict}:
 * {@link ImageDecoder#decode(Path)}, a {@link BatchRunner} in the model's input mode over the
 * model's embedded backbone, then {@link org.flawmap.inference.Inspector#inspect}. Input rows
 * have one string column, the image path; output rows follow {@link ScoreRows#SCHEMA}, in
 * input order.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private static final Logger log = LoggerFactory.getLogger(PartitionScorer.class);

  /** Decoding threads per task, as in {@code flawmap predict}. */
  private static final int DECODE_THREADS = 2;

  private final ScoringSettings settings;

  PartitionScorer(ScoringSettings settings) {
    this.settings = settings;
  }

  /** A decoded image with its position in the partition. */
  private record Decoded(int index, String path, RgbImage image) {}

  @Override
  public Iterator<Row> call(Iterator<Row> input) throws Exception {
    List<String> paths = new ArrayList<>();
    input.forEachRemaining(row -> paths.add(row.getString(0)));
    if (paths.isEmpty()) {
      return List.<Row>of().iterator();
    }

    Path modelFile =
        settings.shipped() ? Path.of(SparkFiles.get(settings.modelPath()))
            : Path.of(settings.modelPath());
    ExecutorModels.ScoringModel model =
        ExecutorModels.get(modelFile, settings.modelSha256(), settings.threads());

    List<Integer> indices = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      indices.add(i);
    }
    AtomicReferenceArray<Row> rows = new AtomicReferenceArray<>(paths.size());
    try (BatchRunner runner =
        new BatchRunner(
            model.extractor(), settings.batchSize(), DECODE_THREADS,
            model.bundle().input())) {
      runner.runBatches(
          indices,
          index -> decode(index, paths.get(index), rows),
          Decoded::image,
          (batch, features) -> {
            List<Inspection> inspections = model.inspector().inspectBatch(
                batch.stream().map(Decoded::image).toList(), features);
            for (int i = 0; i < batch.size(); i++) {
              Decoded decoded = batch.get(i);
              String mask = writeMask(decoded, inspections.get(i));
              rows.set(
                  decoded.index(),
                  ScoreRows.scored(
                      decoded.path(), decoded.image().width(), decoded.image().height(),
                      inspections.get(i), model.bundle().calibration(), mask));
            }
          });
    }

    Row[] out = new Row[paths.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i);
    }
    return Arrays.asList(out).iterator();
  }

  private Optional<Decoded> decode(int index, String path, AtomicReferenceArray<Row> rows)
      throws ImageDecodeException {
    try {
      return Optional.of(new Decoded(index, path, ImageDecoder.decode(Path.of(path))));
    } catch (ImageDecodeException e) {
      if (settings.failOnBadImage()) {
        throw e;
      }
      log.warn("Listing {} as an error row: {}", path, e.getMessage());
      rows.set(index, ScoreRows.failed(path, e.getMessage()));
      return Optional.empty();
    }
  }

  /** Writes the predicted mask as {@code MASKS/NAME.mask.png} and returns its path, or null. */
  private String writeMask(Decoded decoded, Inspection inspection) throws java.io.IOException {
    if (settings.masksDir() == null) {
      return null;
    }
    Path file = Path.of(settings.masksDir()).resolve(MaskNames.of(decoded.path(),
        settings.inputRoot()) + ".mask.png");
    Files.createDirectories(file.getParent());
    MapImages.writePng(
        file,
        MapImages.mask(inspection.predMask(), decoded.image().width(), decoded.image().height()));
    return file.toString();
  }
}
