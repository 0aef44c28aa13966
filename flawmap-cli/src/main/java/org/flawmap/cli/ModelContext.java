package org.flawmap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.engine.DatasetSession;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;

/** A model file opened for scoring, with its embedded backbone. */
final class ModelContext implements AutoCloseable {

  final Path file;
  final ModelBundle bundle;
  final OnnxFeatureExtractor extractor;

  private ModelContext(Path file, ModelBundle bundle, OnnxFeatureExtractor extractor) {
    this.file = file;
    this.bundle = bundle;
    this.extractor = extractor;
  }

  /** Opens a model file with {@code threads} backbone threads, or all processors for null. */
  static ModelContext open(Path file, Integer threads) throws IOException {
    return openWith(file, Threads.backbone(threads));
  }

  /** Opens a model file with exactly {@code threads} backbone threads. */
  static ModelContext openWith(Path file, int threads) throws IOException {
    ModelBundle bundle = ModelFile.read(file);
    return new ModelContext(file, bundle, Backbones.open(bundle, file, threads));
  }

  /** Opens a dataset with the validation split recorded in this model file. */
  DatasetSession reopen(DatasetOptions options) throws IOException {
    JsonNode split = bundle.provenance().path("split");
    long seed = split.path("seed").asLong(42L);
    double fraction = split.path("fraction").asDouble(0.2);
    List<String> ids = new ArrayList<>();
    split.path("validation_ids").forEach(id -> ids.add(id.asText()));
    DatasetSession session =
        DatasetSession.reopen(
            options.dataset, options.toRunOptions(seed, fraction), ids, seed, fraction);
    session.useInput(bundle.input());
    return session;
  }

  @Override
  public void close() {
    extractor.close();
  }
}
