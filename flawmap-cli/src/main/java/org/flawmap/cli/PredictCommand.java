package org.flawmap.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.BatchRunner;
import org.flawmap.inference.Inspection;
import org.flawmap.inference.Inspector;
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
          + " NAME.overlay.png, and a line in predictions.jsonl with the image score and label."
    })
final class PredictCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(PredictCommand.class);

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
      names = "--no-images",
      description = "Write only predictions.jsonl, no PNG files.")
  boolean noImages;

  @Option(
      names = "--skip-bad-files",
      description = "Skip unreadable images and list them at the end, instead of stopping.")
  boolean skipBadFiles;

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE_OR_FOLDER",
      description = "Images, or folders searched recursively for PNG, JPEG and BMP files.")
  List<Path> inputs;

  /** A decoded input image. */
  private record Decoded(ImageInputs.Input input, RgbImage image) {}

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || batchSize > 256) {
      throw new IllegalArgumentException(
          "--batch-size must be between 1 and 256 images, found " + batchSize);
    }
    OutputPaths.folder(output);
    List<ImageInputs.Input> images = ImageInputs.list(inputs, output);
    List<String> skipped = new java.util.ArrayList<>();
    try (ModelContext model = ModelContext.open(modelOptions.model, modelOptions.threads);
        Progress progress = new Progress("predict", images.size(), "images");
        BatchRunner runner =
            new BatchRunner(model.extractor, batchSize, 2, model.bundle.input())) {
      Inspector inspector = new Inspector(
          model.bundle.model(), model.bundle.calibration(), model.bundle.input());
      PredictionWriter writer =
          new PredictionWriter(output, model.bundle.calibration(), !noImages);
      int[] anomalous = {0};
      runner.runImages(
          images,
          input -> decode(input, skipped, progress),
          Decoded::image,
          (decoded, features) -> {
            Inspection inspection = inspector.inspect(decoded.image(), features);
            writer.write(
                decoded.input().name(), decoded.input().file(), decoded.image(), inspection,
                null);
            anomalous[0] += inspection.anomalous() ? 1 : 0;
            progress.step();
          });
      Path lines = writer.finish();
      System.out.printf(
          "predicted %d images: %d anomalous, %d normal, %d skipped; see %s%n",
          images.size() - skipped.size(), anomalous[0],
          images.size() - skipped.size() - anomalous[0], skipped.size(), lines);
      for (String s : skipped) {
        System.out.println("skipped " + s);
      }
    }
    return 0;
  }

  private Optional<Decoded> decode(
      ImageInputs.Input input, List<String> skipped, Progress progress)
      throws ImageDecodeException {
    try {
      return Optional.of(new Decoded(input, ImageDecoder.decode(input.file())));
    } catch (ImageDecodeException e) {
      if (!skipBadFiles) {
        throw e;
      }
      log.warn("Skipping {}: {}", input.file(), e.getMessage());
      synchronized (skipped) {
        skipped.add(input.file() + ": " + e.getMessage());
      }
      progress.step();
      return Optional.empty();
    }
  }
}
