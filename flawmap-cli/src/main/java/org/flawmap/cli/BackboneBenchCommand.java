package org.flawmap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.flawmap.image.ImageDecoder;
import org.flawmap.inference.InputGeometry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Times the backbone's forward pass alone, on the inputs a model file would give it. This is
 * the reference for the backbone's share of {@code predict}'s time per image: predict runs at
 * best at this rate, and the difference is what decoding, scoring and writing cost.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Time the backbone of a model file alone: decode and prepare the images"
        + " first, then run only the backbone on them, batch after batch, and print"
        + " milliseconds per backbone input. Compare with predict --timings.")
final class BackboneBenchCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      paramLabel = "N",
      description = "Backbone inputs per call, as predict's --batch-size (default: 8).")
  int batchSize;

  @Option(
      names = "--limit",
      defaultValue = "200",
      paramLabel = "N",
      description = "Images to decode and keep in memory (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      paramLabel = "N",
      description = "Passes over the images after one warm-up batch; the fastest pass is"
          + " reported with the mean (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE_OR_FOLDER",
      description = "Images, or folders searched recursively for PNG, JPEG and BMP files.")
  List<Path> inputs;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || batchSize > 256 || limit < 1 || rounds < 1) {
      throw new IllegalArgumentException(
          "--batch-size must be 1 to 256 and --limit and --rounds at least 1, found %d, %d, %d"
              .formatted(batchSize, limit, rounds));
    }
    List<ImageInputs.Input> images = ImageInputs.list(inputs, null);
    try (ModelContext model = ModelContext.open(modelOptions.model, modelOptions.threads)) {
      InputGeometry geometry = InputGeometry.of(model.bundle.input(), model.extractor.info());
      List<float[]> prepared = new ArrayList<>();
      for (ImageInputs.Input image : images.subList(0, Math.min(limit, images.size()))) {
        prepared.addAll(geometry.toInputs(ImageDecoder.decode(image.file())));
      }
      model.extractor.extract(prepared.subList(0, Math.min(batchSize, prepared.size())));

      long best = Long.MAX_VALUE;
      long total = 0;
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        for (int from = 0; from < prepared.size(); from += batchSize) {
          model.extractor.extract(
              prepared.subList(from, Math.min(prepared.size(), from + batchSize)));
        }
        long nanos = System.nanoTime() - start;
        best = Math.min(best, nanos);
        total += nanos;
      }
      int threads = Threads.backbone(modelOptions.threads);
      System.out.printf(
          "backbone alone: %s, %d inputs, batch %d, %d threads: %.2f ms per input at best,"
              + " %.2f mean over %d rounds, %.1f inputs/s at best%n",
          model.extractor.info().id(), prepared.size(), batchSize, threads,
          best / 1e6 / prepared.size(), total / 1e6 / rounds / prepared.size(), rounds,
          prepared.size() / (best / 1e9));
    }
    return 0;
  }
}
