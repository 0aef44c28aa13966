package org.flawmap.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.DatasetReaders;
import org.flawmap.dataset.DatasetValidator;
import org.flawmap.dataset.LoadedSample;
import org.flawmap.dataset.Sample;
import org.flawmap.dataset.SampleLoader;
import org.flawmap.dataset.ValidationSplit;
import org.flawmap.inference.BatchRunner;
import org.flawmap.inference.InputMode;
import org.flawmap.inference.InputSettings;
import org.flawmap.backbone.FeatureCache;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dataset opened for one command: its file list, its validation split, and a loader that
 * records skipped files. Streams samples through the backbone with a progress bar.
 */
public final class DatasetSession {

  private static final Logger log = LoggerFactory.getLogger(DatasetSession.class);

  private final Dataset dataset;
  private final String layout;
  private final ValidationSplit.Split split;
  private final SampleLoader loader;
  private final RunOptions options;
  private final List<String> emptyMaskIds = new ArrayList<>();
  private FeatureCache featureCache;
  private InputSettings input = InputSettings.RESIZE;
  private List<String> missingValidationIds = List.of();

  private DatasetSession(
      Dataset dataset, String layout, ValidationSplit.Split split, RunOptions options) {
    this.dataset = dataset;
    this.layout = layout;
    this.split = split;
    this.options = options;
    this.loader = new SampleLoader(dataset, options.onBadFile());
  }

  /** Opens a dataset and carves its validation split from the seed and fraction. */
  public static DatasetSession open(Path root, RunOptions options) throws IOException {
    String layout = resolveLayout(root, options.layout());
    Dataset dataset = DatasetReaders.forLayout(layout).read(root);
    DatasetValidator.validateLayout(dataset);
    ValidationSplit.Split split =
        ValidationSplit.of(dataset, options.splitSeed(), options.validationFraction());
    log.info(
        "Dataset {} ({}): {} train, {} validation, {} test images",
        dataset.product(), layout, dataset.train().size(), split.validation().size(),
        split.test().size());
    return new DatasetSession(dataset, layout, split, options);
  }

  /**
   * Opens a dataset and repeats the split recorded in a model file. The recorded validation
   * images are left out of the test set whether or not all of them still exist, so an image
   * that set the threshold never counts in test metrics; recorded ids that are missing are
   * listed in {@link #missingValidationIds} and in a warning.
   */
  public static DatasetSession reopen(
      Path root, RunOptions options, List<String> validationIds, long seed, double fraction)
      throws IOException {
    String layout = resolveLayout(root, options.layout());
    Dataset dataset = DatasetReaders.forLayout(layout).read(root);
    DatasetValidator.validateLayout(dataset);
    ValidationSplit.Split split;
    List<String> missing = List.of();
    if (!dataset.validation().isEmpty()) {
      split = ValidationSplit.of(dataset, seed, fraction);
    } else {
      java.util.Set<String> testIds = new java.util.HashSet<>();
      dataset.test().forEach(s -> testIds.add(s.id()));
      List<String> present = validationIds.stream().filter(testIds::contains).toList();
      missing = validationIds.stream().filter(id -> !testIds.contains(id)).toList();
      if (!missing.isEmpty()) {
        log.warn(
            "{} of the {} validation images recorded in the model are not in {}, so the split"
                + " is not the fit's; the {} that exist stay out of the test set. Missing: {}",
            missing.size(), validationIds.size(), root, present.size(), missing);
      }
      split = ValidationSplit.fromIds(dataset.test(), present, seed, fraction);
    }
    log.info(
        "Dataset {} ({}): {} validation, {} test images",
        dataset.product(), layout, split.validation().size(), split.test().size());
    DatasetSession session = new DatasetSession(dataset, layout, split, options);
    session.missingValidationIds = missing;
    return session;
  }

  private static String resolveLayout(Path root, String layout) {
    return "auto".equals(layout) ? DatasetReaders.detect(root) : layout;
  }

  public Dataset dataset() {
    return dataset;
  }

  public String layout() {
    return layout;
  }

  public ValidationSplit.Split split() {
    return split;
  }

  public SampleLoader loader() {
    return loader;
  }

  /** Returns the recorded validation ids that this dataset no longer has; empty normally. */
  public List<String> missingValidationIds() {
    return missingValidationIds;
  }

  /** Returns the ids of anomalous samples whose masks turned out empty, in load order. */
  public synchronized List<String> emptyMaskIds() {
    return List.copyOf(emptyMaskIds);
  }

  /**
   * Makes {@link #stream} take features from {@code cache} and store new ones there, so that
   * several models fitted in one process run the backbone once per image.
   */
  public void useFeatureCache(FeatureCache cache) {
    this.featureCache = cache;
  }

  /**
   * Sets the geometry that {@link #stream} feeds images to the backbone with, and that
   * {@link EvaluateJob} and {@link FitJob} score and record with. The default is
   * {@link InputMode#RESIZE}; tile mode gets the default tile settings.
   */
  public void useInputMode(InputMode mode) {
    useInput(InputSettings.of(mode));
  }

  /**
   * Sets the input mode with its tile settings, as {@link #useInputMode}. One feature cache can
   * serve several settings, because {@link BatchRunner} keys its entries by them.
   */
  public void useInput(InputSettings settings) {
    this.input = java.util.Objects.requireNonNull(settings, "settings");
  }

  public InputMode inputMode() {
    return input.mode();
  }

  public InputSettings input() {
    return input;
  }

  /**
   * Runs {@code samples} through the backbone, calling {@code sink} for each loaded one with
   * its single feature set.
   *
   * @throws IllegalStateException in tile mode; use {@link #streamImages} there
   */
  public void stream(
      String label,
      List<Sample> samples,
      FeatureExtractor extractor,
      BatchRunner.Sink<LoadedSample> sink)
      throws Exception {
    if (input.tiled()) {
      throw new IllegalStateException(
          "tile mode gives several feature sets per image; call streamImages");
    }
    streamImages(label, samples, extractor, (loaded, f) -> sink.accept(loaded, f.get(0)));
  }

  /**
   * Runs {@code samples} through the backbone in any mode, calling {@code sink} for each loaded
   * one with the features of all its inputs (one per tile in tile mode).
   */
  public void streamImages(
      String label,
      List<Sample> samples,
      FeatureExtractor extractor,
      BatchRunner.ImageSink<LoadedSample> sink)
      throws Exception {
    streamBatches(label, samples, extractor, (loaded, features) -> {
      for (int i = 0; i < loaded.size(); i++) {
        sink.accept(loaded.get(i), features.get(i));
      }
    });
  }

  /**
   * Runs {@code samples} through the backbone in any mode, calling {@code sink} for each batch
   * of loaded ones with the features of all their inputs, so that a model can score the batch
   * in one call.
   */
  public void streamBatches(
      String label,
      List<Sample> samples,
      FeatureExtractor extractor,
      BatchRunner.BatchSink<LoadedSample> sink)
      throws Exception {
    try (Progress progress = new Progress(label, samples.size(), "images");
        BatchRunner runner =
            new BatchRunner(
                extractor, options.batchSize(), options.decodeThreads(), input)) {
      runner.runBatches(
          samples,
          sample -> {
            var loaded = loader.load(sample);
            if (loaded.isEmpty()) {
              progress.step();
            }
            return loaded;
          },
          LoadedSample::image,
          loaded -> loaded.sample().id(),
          featureCache,
          (batch, features) -> {
            for (LoadedSample loaded : batch) {
              if (loaded.maskEmpty()) {
                synchronized (this) {
                  if (!emptyMaskIds.contains(loaded.sample().id())) {
                    emptyMaskIds.add(loaded.sample().id());
                  }
                }
              }
            }
            sink.accept(batch, features);
            progress.advance(batch.size());
          });
    }
  }
}
