package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flawmap.threshold.ThresholdEstimators;
import org.flawmap.threshold.ThresholdOptions;

/**
 * A benchmark configuration, read from YAML or JSON (docs/benchmark.md) and validated here:
 * every error names the file and the key path, for example {@code models[1].options.dimenson},
 * and lists the keys allowed there. Relative paths are resolved against the file's folder.
 *
 * @param datasets products to benchmark
 * @param backbones backbone names or folders
 * @param models model types with their options
 * @param thresholds threshold estimator names
 * @param thresholdOptions options of the estimators
 * @param seeds model seeds; each seed is a separate cell
 * @param splitSeed seed of every dataset's validation split, the same for all cells
 * @param validationFraction fraction of each defect type's test images used for validation
 * @param galleryPerKind images per gallery kind (worst, best, false positive) and cell
 * @param source the configuration as read, for the report's provenance
 */
public record BenchmarkConfig(
    List<DatasetSpec> datasets,
    List<String> backbones,
    List<ModelSpec> models,
    List<String> thresholds,
    ThresholdOptions thresholdOptions,
    List<Long> seeds,
    long splitSeed,
    double validationFraction,
    int galleryPerKind,
    JsonNode source) {

  /**
   * One product.
   *
   * @param path dataset folder
   * @param labels label file, or null
   * @param layout layout name or {@code auto}
   */
  public record DatasetSpec(Path path, Path labels, String layout) {}

  private static final Set<String> TOP_KEYS =
      Set.of("datasets", "backbones", "models", "thresholds", "threshold_options", "seeds",
          "split", "gallery");

  public static BenchmarkConfig read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          "benchmark configuration " + file + " is a folder; name the .yaml or .json file");
    }
    JsonNode root;
    try {
      root = mapper.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("benchmark configuration " + file + " not found", e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "benchmark configuration %s is not valid %s: %s"
              .formatted(file, name.endsWith(".json") ? "JSON" : "YAML", e.getOriginalMessage()),
          e);
    }
    return parse(root, file);
  }

  static BenchmarkConfig parse(JsonNode root, Path file) {
    Keys keys = new Keys(file);
    if (root == null || !root.isObject()) {
      throw keys.error("", "the configuration must be a mapping with at least 'datasets'");
    }
    keys.onlyKnown(root, "", TOP_KEYS);
    Path base = file.toAbsolutePath().getParent();

    List<DatasetSpec> datasets = new ArrayList<>();
    JsonNode datasetList = keys.requireArray(root, "datasets");
    for (int i = 0; i < datasetList.size(); i++) {
      String at = "datasets[" + i + "]";
      JsonNode d = datasetList.get(i);
      if (d.isTextual()) {
        datasets.add(new DatasetSpec(base.resolve(d.asText()).normalize(), null, "auto"));
        continue;
      }
      keys.onlyKnown(d, at, Set.of("path", "labels", "layout"));
      Path path = base.resolve(keys.requireText(d, at, "path")).normalize();
      Path labels = d.has("labels") ? base.resolve(d.get("labels").asText()).normalize() : null;
      datasets.add(new DatasetSpec(path, labels, d.path("layout").asText("auto")));
    }

    List<String> backbones = keys.textList(root, "backbones", List.of("mobilenet_v2_nsfwjs"));
    List<ModelSpec> models = new ArrayList<>();
    JsonNode modelList = keys.requireArray(root, "models");
    for (int i = 0; i < modelList.size(); i++) {
      models.add(ModelSpec.parse(modelList.get(i), "models[" + i + "]", keys));
    }

    List<String> thresholds = keys.textList(root, "thresholds", ThresholdEstimators.names());
    for (int i = 0; i < thresholds.size(); i++) {
      if (!ThresholdEstimators.names().contains(thresholds.get(i))) {
        throw keys.error("thresholds[" + i + "]", "unknown estimator '" + thresholds.get(i)
            + "'; known: " + ThresholdEstimators.names());
      }
    }
    ThresholdOptions thresholdOptions;
    try {
      thresholdOptions = ThresholdOptions.parse(keys.stringMap(root, "threshold_options"));
    } catch (IllegalArgumentException e) {
      throw keys.error("threshold_options", e.getMessage());
    }

    List<Long> seeds = new ArrayList<>();
    JsonNode seedList = root.path("seeds");
    if (seedList.isMissingNode()) {
      seeds.add(42L);
    } else {
      if (!seedList.isArray() || seedList.isEmpty()) {
        throw keys.error("seeds", "must be a non-empty list of integers, for example [42]");
      }
      for (int i = 0; i < seedList.size(); i++) {
        if (!seedList.get(i).canConvertToLong() || !seedList.get(i).isIntegralNumber()) {
          throw keys.error("seeds[" + i + "]", "must be an integer, found " + seedList.get(i));
        }
        seeds.add(seedList.get(i).asLong());
      }
    }

    JsonNode split = root.path("split");
    keys.onlyKnown(split, "split", Set.of("seed", "fraction"));
    double fraction = split.path("fraction").asDouble(0.2);
    if (!(fraction > 0 && fraction < 1)) {
      throw keys.error("split.fraction", "must be strictly between 0 and 1, found " + fraction);
    }
    JsonNode gallery = root.path("gallery");
    keys.onlyKnown(gallery, "gallery", Set.of("per_kind"));
    int perKind = gallery.path("per_kind").asInt(3);
    if (perKind < 0 || perKind > 50) {
      throw keys.error("gallery.per_kind", "must be between 0 and 50, found " + perKind);
    }
    keys.unique("datasets", datasets.stream().map(d -> d.path().toString()).toList());
    keys.unique("backbones", backbones);
    keys.unique("models", models.stream().map(ModelSpec::label).toList());
    keys.unique("thresholds", thresholds);
    keys.unique("seeds", seeds.stream().map(String::valueOf).toList());
    return new BenchmarkConfig(
        datasets, backbones, models, thresholds, thresholdOptions, seeds,
        split.path("seed").asLong(42L), fraction, perKind, root);
  }

  /** Helpers that read keys and build errors naming the file and key path. */
  static final class Keys {
    private final Path file;

    Keys(Path file) {
      this.file = file;
    }

    IllegalArgumentException error(String at, String problem) {
      return new IllegalArgumentException(
          "benchmark configuration %s: %s%s".formatted(file, at.isEmpty() ? "" : at + ": ",
              problem));
    }

    void onlyKnown(JsonNode node, String at, Set<String> known) {
      if (node.isMissingNode()) {
        return;
      }
      if (!node.isObject()) {
        throw error(at, "must be a mapping with keys " + new java.util.TreeSet<>(known));
      }
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String key = names.next();
        if (!known.contains(key)) {
          throw error(at.isEmpty() ? key : at + "." + key,
              "unknown key; allowed here: " + new java.util.TreeSet<>(known));
        }
      }
    }

    /** Rejects a list with a repeated entry, which would make two cells the same. */
    void unique(String key, List<String> values) {
      for (int i = 0; i < values.size(); i++) {
        int first = values.indexOf(values.get(i));
        if (first != i) {
          throw error(key + "[" + i + "]", "repeats " + key + "[" + first + "] ("
              + values.get(i) + "); each entry makes its own cells, so list it once");
        }
      }
    }

    JsonNode requireArray(JsonNode node, String key) {
      JsonNode value = node.path(key);
      if (!value.isArray() || value.isEmpty()) {
        throw error(key, "missing or empty; give a list");
      }
      return value;
    }

    String requireText(JsonNode node, String at, String key) {
      JsonNode value = node.path(key);
      if (!value.isTextual() || value.asText().isBlank()) {
        throw error(at + "." + key, "missing; give a text value");
      }
      return value.asText();
    }

    List<String> textList(JsonNode node, String key, List<String> fallback) {
      JsonNode value = node.path(key);
      if (value.isMissingNode()) {
        return fallback;
      }
      if (!value.isArray() || value.isEmpty()) {
        throw error(key, "must be a non-empty list of names");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        if (!value.get(i).isTextual()) {
          throw error(key + "[" + i + "]", "must be a name, found " + value.get(i));
        }
        out.add(value.get(i).asText());
      }
      return out;
    }

    Map<String, String> stringMap(JsonNode node, String key) {
      Map<String, String> out = new LinkedHashMap<>();
      JsonNode value = node.path(key);
      if (value.isMissingNode()) {
        return out;
      }
      if (!value.isObject()) {
        throw error(key, "must be a mapping of option names to values");
      }
      value.fields().forEachRemaining(e -> out.put(e.getKey().replace('_', '-'),
          e.getValue().asText()));
      return out;
    }
  }
}
