package org.flawmap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.BatchRunner;
import org.flawmap.inference.Inspection;
import org.flawmap.inference.Inspector;
import org.flawmap.inference.TimedFeatureExtractor;
import org.flawmap.model.io.ModelFile;
import org.flawmap.report.AtomicFiles;
import org.flawmap.report.BackgroundWriter;
import org.flawmap.report.PredictionJournal;
import org.flawmap.report.PredictionTable;
import org.flawmap.report.PredictionWriter;
import org.flawmap.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Score images with a model file. For each image it writes NAME.map.png (heat map, the"
          + " threshold in the middle of the scale), NAME.mask.png (predicted defect pixels),"
          + " NAME.overlay.png, and a row in predictions.csv and predictions.jsonl with the"
          + " image score and label, in input order. summary.json counts the images and lists"
          + " the unreadable ones.",
      "A run into the same --output folder with the same model file resumes: images finished"
          + " earlier (recorded in " + PredictionJournal.FILE_NAME + ") are not predicted again."
    })
final class PredictCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(PredictCommand.class);

  /** Called after each image's journal record with the count finished in this run. */
  @FunctionalInterface
  interface FinishedListener {
    void finished(int count) throws IOException;
  }

  /** Test hook: a listener that throws stops the run as a failed write would. */
  static volatile FinishedListener finishedListener = count -> {};

  @Mixin ModelOptions modelOptions;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the outputs.")
  Path output;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      paramLabel = "N",
      description = "Images per backbone call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--decode-threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "Threads that decode and resize images (default: ${DEFAULT-VALUE}).")
  int decodeThreads;

  @Option(
      names = "--write-threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "Threads that encode and write the PNG files (default: ${DEFAULT-VALUE}).")
  int writeThreads;

  @Option(
      names = "--no-images",
      description = "Write only the prediction rows, no PNG files.")
  boolean noImages;

  @Option(
      names = "--fail-on-bad-image",
      description = "Stop at the first unreadable image. By default unreadable images are"
          + " skipped, counted and listed in summary.json and on the console.")
  boolean failOnBadImage;

  @Option(
      names = "--skip-bad-files",
      hidden = true,
      description = "Deprecated: skipping unreadable images is the default.")
  boolean skipBadFiles;

  @Option(
      names = "--timings",
      description = "Write timings.json: images per second, latency, the time per stage"
          + " (decode, backbone, scoring, writing) and peak memory.")
  boolean timings;

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE_OR_FOLDER",
      description = "Images, or folders searched recursively for PNG, JPEG and BMP files.")
  List<Path> inputs;

  /** An input still to predict, with its position in the input order. */
  private record Job(int index, ImageInputs.Input input, PredictionJournal.Key key) {}

  /** A decoded job, with the time its decoding started. */
  private record Decoded(Job job, RgbImage image, long startNanos) {}

  @Override
  public Integer call() throws Exception {
    checkOptions();
    // Inputs and model first, so that a run rejected for them leaves no empty output folder.
    List<ImageInputs.Input> images = ImageInputs.list(inputs, output);
    ModelFile.requireNotFolder(modelOptions.model);
    String modelSha256 = PredictionJournal.sha256(modelOptions.model);
    OutputPaths.folder(output);
    Map<Integer, String> unreadable = new TreeMap<>();
    ObjectNode[] rows = new ObjectNode[images.size()];
    int doneEarlier = 0;
    try (OutputLock lock = OutputLock.take(output, "predict");
        PredictionJournal journal = PredictionJournal.open(output, modelSha256, !noImages)) {
      // Under the lock no other run writes here, so hidden temporary files are leftovers of
      // an interrupted run.
      int leftovers = AtomicFiles.removeLeftovers(output);
      if (leftovers > 0) {
        log.info("Removed {} temporary files left in {} by an interrupted run", leftovers, output);
      }
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        ImageInputs.Input input = images.get(i);
        PredictionJournal.Key key;
        try {
          key = PredictionJournal.Key.of(input.file());
        } catch (IOException e) {
          badImage(unreadable, i, input, new ImageDecodeException(input.file(),
              ImageDecodeException.Problem.READ_FAILED, e.toString(), e));
          continue;
        }
        ObjectNode row = journal.finished(key);
        if (row != null && outputsExist(row)) {
          row.put("image", input.file().toString());
          rows[i] = row;
          doneEarlier++;
        } else {
          jobs.add(new Job(i, input, key));
        }
      }
      if (doneEarlier > 0) {
        System.out.printf("resumed: %d done earlier, %d to do%n", doneEarlier, jobs.size());
      }
      try (InterruptNotice notice = new InterruptNotice(images.size(), doneEarlier, System.err)) {
        predict(jobs, journal, rows, unreadable, notice);
        // The summary is written after the journal is closed. The second close, at the end of
        // the outer block, returns at once.
        journal.close();
        finish(images, rows, unreadable, modelSha256, doneEarlier);
      }
    }
    return 0;
  }

  private void checkOptions() {
    if (batchSize < 1 || batchSize > 256) {
      throw new IllegalArgumentException(
          "--batch-size must be between 1 and 256 images, found " + batchSize);
    }
    if (decodeThreads < 1 || writeThreads < 1) {
      throw new IllegalArgumentException(
          "--decode-threads and --write-threads must be at least 1, found %d and %d"
              .formatted(decodeThreads, writeThreads));
    }
    if (skipBadFiles && failOnBadImage) {
      throw new IllegalArgumentException(
          "--skip-bad-files and --fail-on-bad-image cannot be used together, so give only one");
    }
    if (skipBadFiles) {
      log.warn("--skip-bad-files is deprecated: predict skips and lists unreadable images by"
          + " default; use --fail-on-bad-image to stop at the first one");
    }
  }

  /** Returns whether the PNG files named in a journal row are still in the output folder. */
  private boolean outputsExist(ObjectNode row) {
    for (String kind : List.of("map", "mask", "overlay")) {
      if (row.has(kind) && !Files.isRegularFile(output.resolve(row.get(kind).asText()))) {
        return false;
      }
    }
    return true;
  }

  private void predict(
      List<Job> jobs, PredictionJournal journal, ObjectNode[] rows, Map<Integer, String> bad,
      InterruptNotice notice) throws Exception {
    PredictTimings timer = new PredictTimings();
    AtomicInteger finished = new AtomicInteger();
    try (ModelContext model = ModelContext.openWith(
            modelOptions.model, Threads.pipelinedBackbone(modelOptions.threads));
        TimedFeatureExtractor backbone = new TimedFeatureExtractor(model.extractor);
        Progress progress = new Progress("predict", jobs.size(), "images");
        BackgroundWriter writer =
            new BackgroundWriter(writeThreads, Math.max(writeThreads, batchSize));
        BatchRunner runner =
            new BatchRunner(backbone, batchSize, decodeThreads, model.bundle.input())) {
      Inspector inspector = new Inspector(
          model.bundle.model(), model.bundle.calibration(), model.bundle.input());
      PredictionWriter files =
          new PredictionWriter(output, model.bundle.calibration(), !noImages);
      timer.startLoop();
      runner.runBatches(
          jobs,
          job -> decode(job, bad, progress, timer),
          Decoded::image,
          (batch, features) -> {
            long start = System.nanoTime();
            List<Inspection> inspections = inspector.inspectBatch(
                batch.stream().map(Decoded::image).toList(), features);
            List<boolean[]> predMasks =
                inspections.stream().map(Inspection::predMask).toList();
            timer.addScoring(System.nanoTime() - start);

            for (int i = 0; i < batch.size(); i++) {
              Decoded decoded = batch.get(i);
              Inspection inspection = inspections.get(i);
              boolean[] predMask = predMasks.get(i);
              Job job = decoded.job();
              writer.submit(job.input().file().toString(), () -> {
                ObjectNode row = files.line(job.input().file(), decoded.image(), inspection,
                    predMask);
                files.writeImages(job.input().name(), decoded.image(), inspection, predMask,
                    null, row);
                journal.append(job.key(), row);
                rows[job.index()] = row;
                timer.addLatency(System.nanoTime() - decoded.startNanos());
                progress.step();
                notice.finished();
                finishedListener.finished(finished.incrementAndGet());
              });
            }
          });
      writer.finish();
      if (timings) {
        long decodeCpu = PredictTimings.cpuNanosOfThreads("flawmap-decode");
        ObjectNode json = timer.toJson(backbone, writer, decodeCpu);
        json.put("model", modelOptions.model.toString());
        json.put("model_type", model.bundle.model().type());
        json.put("batch_size", batchSize);
        json.put("decode_threads", decodeThreads);
        json.put("write_threads", writeThreads);
        json.put("backbone_threads", Threads.pipelinedBackbone(modelOptions.threads));
        json.put("images_written", !noImages);
        AtomicFiles.writeString(output.resolve("timings.json"),
            json.toPrettyString() + "\n");
        System.out.println(PredictTimings.describe(json));
      }
    }
  }

  private Optional<Decoded> decode(
      Job job, Map<Integer, String> bad, Progress progress, PredictTimings timer)
      throws ImageDecodeException {
    long start = System.nanoTime();
    try {
      RgbImage image = ImageDecoder.decode(job.input().file());
      timer.addDecode(System.nanoTime() - start);
      return Optional.of(new Decoded(job, image, start));
    } catch (ImageDecodeException e) {
      badImage(bad, job.index(), job.input(), e);
      progress.step();
      return Optional.empty();
    }
  }

  private void badImage(
      Map<Integer, String> bad, int index, ImageInputs.Input input, ImageDecodeException e)
      throws ImageDecodeException {
    if (failOnBadImage) {
      throw e;
    }
    log.warn("Skipping unreadable image {}: {}", input.file(), e.getMessage());
    synchronized (bad) {
      bad.put(index, e.getMessage());
    }
  }

  /** Writes the prediction tables and summary.json, and prints the counts. */
  private void finish(
      List<ImageInputs.Input> images, ObjectNode[] rows, Map<Integer, String> unreadable,
      String modelSha256, int doneEarlier) throws IOException {
    List<ObjectNode> ordered = new ArrayList<>();
    int anomalous = 0;
    for (ObjectNode row : rows) {
      if (row != null) {
        ordered.add(row);
        anomalous += "anomalous".equals(row.path("label").asText()) ? 1 : 0;
      }
    }
    Path csv = PredictionTable.write(output, ordered);

    ObjectNode summary = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    summary.put("model", modelOptions.model.toString());
    summary.put("model_sha256", modelSha256);
    summary.put("images", images.size());
    summary.put("predicted", ordered.size());
    summary.put("done_earlier", doneEarlier);
    summary.put("done_now", ordered.size() - doneEarlier);
    summary.put("anomalous", anomalous);
    summary.put("normal", ordered.size() - anomalous);
    summary.put("unreadable", unreadable.size());
    var list = summary.putArray("unreadable_images");
    for (var entry : unreadable.entrySet()) {
      ObjectNode item = list.addObject();
      item.put("image", images.get(entry.getKey()).file().toString());
      item.put("error", entry.getValue());
    }
    AtomicFiles.writeString(output.resolve("summary.json"), summary.toPrettyString() + "\n");

    System.out.printf(
        "predicted %d %s: %d anomalous, %d normal, %d unreadable; see %s%n",
        ordered.size(), ordered.size() == 1 ? "image" : "images", anomalous,
        ordered.size() - anomalous, unreadable.size(), csv);
    for (String line : unreadable.values()) {
      System.out.println("skipped " + line);
    }
  }
}
