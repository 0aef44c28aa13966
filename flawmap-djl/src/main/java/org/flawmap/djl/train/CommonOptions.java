package org.flawmap.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.io.ModelFileException;

/**
 * The model options that every trainable model takes, validated here once. Each error names the
 * option as {@code --model-option} and a benchmark configuration spell it. A model's own options
 * record contains these values too and builds this record to check them.
 *
 * @param epochs passes over the training images, at most
 * @param batchSize training images per Adam step
 * @param learningRate Adam's step size
 * @param patience epochs without a lower validation figure before training stops; 0 turns early
 *     stopping off
 * @param timeLimitSeconds wall-time budget of the training loop in seconds; training stops after
 *     the first epoch that ends past it, and 0 means no limit
 * @param checkpoint folder for a checkpoint after every epoch, or null for none
 * @param blurSigma Gaussian smoothing σ of the anomaly map, in input pixels
 */
public record CommonOptions(
    int epochs,
    int batchSize,
    double learningRate,
    int patience,
    double timeLimitSeconds,
    Path checkpoint,
    double blurSigma) {

  /** The option names, as {@code --model-option} spells them. */
  public static final List<String> NAMES =
      List.of(
          "epochs", "batch_size", "learning_rate", "patience", "time_limit", "checkpoint",
          "blur_sigma");

  public CommonOptions {
    requireAtLeast("epochs", epochs, 1);
    requireAtLeast("batch_size", batchSize, 1);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "model option learning_rate must be a positive number, found " + learningRate);
    }
    requireAtLeast("patience", patience, 0);
    if (!(timeLimitSeconds >= 0) || Double.isInfinite(timeLimitSeconds)) {
      throw new IllegalArgumentException(
          "model option time_limit must be 0 (no limit) or a positive number of seconds, found "
              + timeLimitSeconds);
    }
    if (!(blurSigma > 0) || Double.isInfinite(blurSigma)) {
      throw new IllegalArgumentException(
          "model option blur_sigma must be a positive number of pixels, found " + blurSigma);
    }
    requireCheckpointFolder(checkpoint);
  }

  /**
   * Rejects a checkpoint path that the training loop could not write, so that the error comes
   * before any data is read rather than after the first epoch. A missing folder is not created
   * here: the nearest existing parent must be a folder in which a probe folder can be created
   * and removed, because {@link Files#isWritable} is true for root even where creation fails
   * (as in {@code /proc}). A null path means no checkpoint and passes.
   *
   * @throws IllegalArgumentException naming the path and the reason
   */
  public static void requireCheckpointFolder(Path checkpoint) {
    if (checkpoint == null) {
      return;
    }
    Path absolute = checkpoint.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new IllegalArgumentException(
          "checkpoint %s is a file, not a folder; name a folder".formatted(checkpoint));
    }
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw cannotCreate(checkpoint, "no part of the path exists");
    }
    if (!Files.isDirectory(existing)) {
      throw cannotCreate(checkpoint, existing + " is a file");
    }
    try {
      Path probe = Files.createTempDirectory(existing, ".flawmap-probe");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw cannotCreate(checkpoint, existing + " is not writable: " + reason);
    }
  }

  private static IllegalArgumentException cannotCreate(Path checkpoint, String reason) {
    return new IllegalArgumentException(
        "cannot create checkpoint folder %s (%s); name a writable folder"
            .formatted(checkpoint, reason));
  }

  private static void requireAtLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(
          "model option %s must be an integer of at least %d, found %d"
              .formatted(name, minimum, value));
    }
  }

  /** Returns {@link #NAMES} together with a model's own option names. */
  public static Set<String> namesWith(String... modelOptions) {
    Set<String> names = new HashSet<>(NAMES);
    names.addAll(List.of(modelOptions));
    return Set.copyOf(names);
  }

  /**
   * Rejects a parameter that is not in {@code known}.
   *
   * @throws IllegalArgumentException naming the unknown option and listing the known ones
   */
  public static void rejectUnknown(ModelParameters p, String type, Set<String> known) {
    for (String name : p.values().keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown model option %s for %s; known options: %s"
                .formatted(name, type, String.join(", ", new TreeSet<>(known))));
      }
    }
  }

  /**
   * Reads the options from {@code p}, taking {@code defaults} for those left out. A blank
   * {@code checkpoint} means none.
   *
   * @throws IllegalArgumentException naming an invalid option
   */
  public static CommonOptions parse(ModelParameters p, CommonOptions defaults) {
    String checkpoint = p.text("checkpoint", null);
    return new CommonOptions(
        p.integer("epochs", defaults.epochs()),
        p.integer("batch_size", defaults.batchSize()),
        p.number("learning_rate", defaults.learningRate()),
        p.integer("patience", defaults.patience()),
        p.number("time_limit", defaults.timeLimitSeconds()),
        checkpoint == null || checkpoint.isBlank() ? null : Path.of(checkpoint),
        p.number("blur_sigma", defaults.blurSigma()));
  }

  /**
   * Writes the options to a model's config, in the key order that model files have always had.
   * The checkpoint folder is left out, because it belongs to the run and not to the model.
   */
  public void write(ObjectNode config) {
    config.put("blur_sigma", blurSigma);
    config.put("epochs", epochs);
    config.put("batch_size", batchSize);
    config.put("learning_rate", learningRate);
    config.put("patience", patience);
    config.put("time_limit", timeLimitSeconds);
  }

  /**
   * Reads what {@link #write} stored, with no checkpoint folder.
   *
   * @throws ModelFileException naming the first missing key
   */
  public static CommonOptions read(JsonNode config, String type) {
    return new CommonOptions(
        required(config, type, "epochs").asInt(),
        required(config, type, "batch_size").asInt(),
        required(config, type, "learning_rate").asDouble(),
        required(config, type, "patience").asInt(),
        required(config, type, "time_limit").asDouble(),
        null,
        required(config, type, "blur_sigma").asDouble());
  }

  /**
   * Returns {@code config}'s value for {@code name}.
   *
   * @throws ModelFileException when it is missing or null, naming the model type and the key
   */
  public static JsonNode required(JsonNode config, String type, String name) {
    JsonNode value = config.get(name);
    if (value == null || value.isNull()) {
      throw new ModelFileException(
          "%s model config has no %s; the file is damaged or from another version, fit"
                  .formatted(type, name)
              + " the model again");
    }
    return value;
  }

  /**
   * Returns the settings of {@link TrainingLoop}.
   *
   * @param minDelta smallest decrease of the validation figure that counts as an improvement
   * @param seed seed of the initial weights and of the batch order
   */
  public TrainingOptions training(double minDelta, long seed) {
    return new TrainingOptions(
        epochs, batchSize, learningRate, patience, minDelta, timeLimitSeconds, seed, checkpoint);
  }
}
