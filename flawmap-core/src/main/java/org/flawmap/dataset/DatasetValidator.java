package org.flawmap.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a listed {@link Dataset} before or without running the pipeline.
 *
 * <p>{@link #validateLayout} is cheap: it opens each file only to read its first bytes, so it
 * suits a check before a long run. {@link #validateImages} decodes every image and mask, one at
 * a time, as {@link SampleLoader} would during the run.
 */
public final class DatasetValidator {

  private static final Logger LOG = LoggerFactory.getLogger(DatasetValidator.class);

  private DatasetValidator() {}

  /**
   * Result of {@link #validateImages}.
   *
   * @param checked number of samples loaded or skipped
   * @param skipped samples skipped under {@link OnBadFile#SKIP}
   * @param emptyMaskIds ids of anomalous samples whose mask has no defective pixel
   */
  public record Report(int checked, SkippedFiles skipped, List<String> emptyMaskIds) {

    public Report {
      emptyMaskIds = List.copyOf(emptyMaskIds);
    }
  }

  /**
   * Checks, without decoding, that every image and mask exists, is a readable non-empty file
   * and starts with a PNG, JPEG or BMP signature, that each anomalous sample has a mask, and that
   * sample ids are unique.
   *
   * @throws DatasetException listing every problem found
   */
  public static void validateLayout(Dataset dataset) {
    List<String> problems = findLayoutProblems(dataset);
    if (problems.isEmpty()) {
      return;
    }
    LayoutProblems all = new LayoutProblems(dataset.root(), dataset.product());
    problems.forEach(all::add);
    all.throwIfAny();
  }

  /** Returns the problems that {@link #validateLayout} reports, empty when there are none. */
  public static List<String> findLayoutProblems(Dataset dataset) {
    List<String> problems = new ArrayList<>();
    Map<String, String> splitById = new HashMap<>();
    checkSplit("train", dataset.train(), splitById, problems);
    checkSplit("validation", dataset.validation(), splitById, problems);
    checkSplit("test", dataset.test(), splitById, problems);
    return problems;
  }

  private static void checkSplit(
      String split, List<Sample> samples, Map<String, String> splitById, List<String> problems) {
    for (Sample sample : samples) {
      String previous = splitById.putIfAbsent(sample.id(), split);
      if (previous != null) {
        problems.add("sample id %s appears in %s and in %s; ids must be unique"
            .formatted(sample.id(), previous, split));
      }
      checkFile(sample.image()).ifPresent(problems::add);
      if (sample.anomalous() && sample.mask() == null) {
        problems.add("anomalous image %s has no mask file".formatted(sample.image()));
      }
      if (sample.mask() != null) {
        checkFile(sample.mask())
            .ifPresent(p -> problems.add(p + " (the mask of " + sample.image() + ")"));
      }
    }
  }

  private static Optional<String> checkFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.of(file + " does not exist or is not a regular file");
    }
    try {
      if (Files.size(file) == 0) {
        return Optional.of(file + " is empty");
      }
      ImageDecoder.probeFormat(file);
      return Optional.empty();
    } catch (ImageDecodeException e) {
      return Optional.of(e.getMessage());
    } catch (java.io.IOException e) {
      return Optional.of(file + " cannot be read: " + e);
    }
  }

  /**
   * Decodes every image and mask of {@code dataset}, one sample at a time, with a
   * {@link SampleLoader}, and keeps none of them.
   *
   * @throws DatasetException when {@code policy} is {@link OnBadFile#FAIL} and a file is bad
   */
  public static Report validateImages(Dataset dataset, OnBadFile policy) {
    SampleLoader loader = new SampleLoader(dataset, policy);
    List<String> emptyMasks = new ArrayList<>();
    int checked = 0;
    for (List<Sample> split : List.of(dataset.train(), dataset.validation(), dataset.test())) {
      for (Sample sample : split) {
        checked++;
        loader.load(sample).filter(LoadedSample::maskEmpty)
            .ifPresent(loaded -> emptyMasks.add(sample.id()));
      }
    }
    LOG.info("Checked {} samples of {}: {} skipped, {} anomalous with an empty mask",
        checked, dataset.root(), loader.skipped().count(), emptyMasks.size());
    return new Report(checked, loader.skipped(), emptyMasks);
  }
}
