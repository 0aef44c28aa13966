package org.flawmap.labels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches label rows to the anomalous images of a dataset.
 *
 * <p>A row matches when its path is the id of an anomalous sample in the train, validation or
 * test split and its product equals {@code Dataset.product()}. Every other row is a
 * {@link LabelProblem}: a path that is not in the dataset, a normal image, a product mismatch, or
 * a second row for a path. Anomalous images without a row are not problems, because a label file
 * may be partial, but {@link Labels#unlabelled()} lists them.
 */
public final class LabelValidator {

  private static final Logger log = LoggerFactory.getLogger(LabelValidator.class);

  /** Maximum number of ids a message suggests for a path that is not in the dataset. */
  private static final int MAX_CANDIDATES = 3;

  private LabelValidator() {}

  /** Reads the label file {@code labelFile} and validates it against {@code dataset}. */
  public static Labels validate(Path labelFile, Dataset dataset) throws IOException {
    return validate(LabelFile.read(labelFile), dataset);
  }

  /** Matches {@code rows} to the anomalous images of {@code dataset}; names every unmatched row. */
  public static Labels validate(List<LabelRow> rows, Dataset dataset) {
    Map<String, Sample> samples = new HashMap<>();
    Map<String, String> splitOf = new HashMap<>();
    Map<String, List<String>> anomalousByFileName = new HashMap<>();
    addSplit(dataset.train(), "train", samples, splitOf, anomalousByFileName);
    addSplit(dataset.validation(), "validation", samples, splitOf, anomalousByFileName);
    addSplit(dataset.test(), "test", samples, splitOf, anomalousByFileName);

    Map<String, LabelRow> matched = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    List<LabelProblem> problems = new ArrayList<>();
    for (LabelRow row : rows) {
      String path = row.path();
      Sample sample = samples.get(path);
      if (!seen.add(path)) {
        problems.add(new LabelProblem(path, LabelProblem.Kind.DUPLICATE_PATH,
            "label row for %s: an earlier row has the same path; keep one row per image"
                .formatted(path)));
      } else if (sample == null) {
        problems.add(new LabelProblem(path, LabelProblem.Kind.NOT_IN_DATASET,
            notInDatasetMessage(path, dataset, anomalousByFileName)));
      } else if (!sample.anomalous()) {
        problems.add(new LabelProblem(path, LabelProblem.Kind.NORMAL_IMAGE, ("label row for %s: "
            + "the image is normal (defect type %s, %s split); label files list anomalous images "
            + "only, so remove the row").formatted(path, sample.defectType(), splitOf.get(path))));
      } else if (!row.product().equals(dataset.product())) {
        problems.add(new LabelProblem(path, LabelProblem.Kind.PRODUCT_MISMATCH, ("label row for "
            + "%s: product \"%s\" differs from the dataset's product \"%s\"; correct the product "
            + "or use the label file of the right dataset")
            .formatted(path, row.product(), dataset.product())));
      } else {
        matched.put(path, row);
      }
    }

    List<String> unlabelled = samples.values().stream()
        .filter(Sample::anomalous)
        .map(Sample::id)
        .filter(id -> !matched.containsKey(id))
        .sorted()
        .toList();
    Labels labels = new Labels(dataset.product(), matched, problems, unlabelled);
    if (problems.isEmpty()) {
      log.info("labels for {}: matched rows {}, unlabelled anomalous images {}",
          dataset.product(), matched.size(), unlabelled.size());
    } else {
      log.warn("labels for {}: matched rows {}, rows that do not match the dataset {}, "
          + "unlabelled anomalous images {}", dataset.product(), matched.size(),
          problems.size(), unlabelled.size());
    }
    return labels;
  }

  private static void addSplit(List<Sample> split, String name, Map<String, Sample> samples,
      Map<String, String> splitOf, Map<String, List<String>> anomalousByFileName) {
    for (Sample sample : split) {
      samples.put(sample.id(), sample);
      splitOf.put(sample.id(), name);
      if (sample.anomalous()) {
        anomalousByFileName.computeIfAbsent(fileName(sample.id()), n -> new ArrayList<>())
            .add(sample.id());
      }
    }
  }

  private static String notInDatasetMessage(
      String path, Dataset dataset, Map<String, List<String>> anomalousByFileName) {
    String message = ("label row for %s: no image of dataset %s has this id in the train, "
        + "validation or test split; ids are image paths relative to the dataset root")
        .formatted(path, dataset.root());
    List<String> sameName = anomalousByFileName.getOrDefault(fileName(path), List.of());
    List<String> withPrefix = sameName.stream().filter(id -> id.endsWith("/" + path)).toList();
    List<String> candidates = withPrefix.isEmpty() ? sameName : withPrefix;
    if (!candidates.isEmpty() && candidates.size() <= MAX_CANDIDATES) {
      message += "; anomalous images with this file name: " + String.join(", ", candidates);
    }
    return message;
  }

  private static String fileName(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }
}
