package org.flawmap.djl.train;

import static org.flawmap.djl.train.JsonNumbers.addNumber;
import static org.flawmap.djl.train.JsonNumbers.doubles;
import static org.flawmap.djl.train.JsonNumbers.putNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.report.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint of a {@link TrainingLoop}: {@code state.json} with the epoch, the figures so
 * far and the fingerprint of the settings, {@code weights-E.bin} with epoch E's weights and
 * {@code best-E.bin} with the best weights after it. Each file is written atomically, and the
 * state last, naming its weight files, so an interrupted write leaves the previous epoch's
 * checkpoint whole.
 *
 * <p>NOTE: Adam's moment estimates are not stored, so a resumed run restarts them from zero;
 * its loss curve can differ slightly from an uninterrupted run's.
 */
final class Checkpoint {

  private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The content of a checkpoint after {@code epoch} epochs. */
  record State(
      int epoch,
      byte[] weights,
      byte[] bestWeights,
      List<Double> trainLoss,
      List<Double> validation,
      double bestValidation,
      int bestEpoch,
      int staleEpochs) {}

  private final Path folder;
  private final String fingerprint;

  private Checkpoint(Path folder, String fingerprint) {
    this.folder = folder;
    this.fingerprint = fingerprint;
  }

  /** Returns the checkpoint in {@code folder}; a null folder stores nothing. */
  static Checkpoint in(Path folder, String fingerprint) {
    return new Checkpoint(folder, fingerprint);
  }

  /**
   * Reads the checkpoint, or returns null when there is none. A checkpoint written with other
   * settings is an error, so that a rerun never continues someone else's training.
   */
  State load() throws IOException {
    if (folder == null || !Files.exists(folder.resolve("state.json"))) {
      return null;
    }
    JsonNode state = JSON.readTree(folder.resolve("state.json").toFile());
    String found = state.path("fingerprint").asText();
    if (!found.equals(fingerprint)) {
      throw new IllegalArgumentException(
          ("checkpoint %s was written with other settings (%s, now %s); remove the folder or"
                  + " name another checkpoint folder")
              .formatted(folder, found, fingerprint));
    }
    return new State(
        state.path("epoch").asInt(),
        Files.readAllBytes(folder.resolve(state.path("weights_file").asText())),
        Files.readAllBytes(folder.resolve(state.path("best_file").asText())),
        doubles(state.path("train_loss")),
        doubles(state.path("validation")),
        state.path("best_validation").asDouble(Double.NaN),
        state.path("best_epoch").asInt(),
        state.path("stale_epochs").asInt());
  }

  void save(State state) throws IOException {
    if (folder == null) {
      return;
    }
    String weightsFile = "weights-" + state.epoch() + ".bin";
    String bestFile = "best-" + state.epoch() + ".bin";
    AtomicFiles.write(folder.resolve(weightsFile), out -> out.write(state.weights()));
    AtomicFiles.write(folder.resolve(bestFile), out -> out.write(state.bestWeights()));
    ObjectNode json = JSON.createObjectNode();
    json.put("weights_file", weightsFile);
    json.put("best_file", bestFile);
    json.put("fingerprint", fingerprint);
    json.put("epoch", state.epoch());
    json.put("best_epoch", state.bestEpoch());
    putNumber(json, "best_validation", state.bestValidation());
    json.put("stale_epochs", state.staleEpochs());
    ArrayNode losses = json.putArray("train_loss");
    state.trainLoss().forEach(v -> addNumber(losses, v));
    ArrayNode validation = json.putArray("validation");
    state.validation().forEach(v -> addNumber(validation, v));
    AtomicFiles.writeString(
        folder.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));

    // The previous epoch's files are no longer named by the state.
    Files.deleteIfExists(folder.resolve("weights-" + (state.epoch() - 1) + ".bin"));
    Files.deleteIfExists(folder.resolve("best-" + (state.epoch() - 1) + ".bin"));
    log.debug("checkpoint after epoch {} in {}", state.epoch(), folder);
  }
}
