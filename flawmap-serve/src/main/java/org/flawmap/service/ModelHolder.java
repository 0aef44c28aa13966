package org.flawmap.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.io.ModelFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model that new requests use, swapped atomically by {@link #reload}. A request {@link
 * #acquire acquires} the current model and keeps it until it releases it, so a reload never
 * changes the model under a request in progress; the old model closes after its last request.
 */
public final class ModelHolder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelHolder.class);

  private final AtomicReference<LoadedModel> current = new AtomicReference<>();
  private final int backboneThreads;
  private final Object reloadLock = new Object();
  private long generation;

  /** @param backboneThreads ONNX Runtime intra-op threads of each loaded backbone */
  public ModelHolder(int backboneThreads) {
    this.backboneThreads = backboneThreads;
  }

  /**
   * Loads {@code file} and makes it current, then retires the model it replaces. On failure the
   * current model stays in service and the exception names the file.
   *
   * @return the identity of the new model
   */
  public ModelIdentity reload(Path file) throws IOException {
    synchronized (reloadLock) {
      LoadedModel loaded = load(file, generation + 1);
      generation++;
      LoadedModel previous = current.getAndSet(loaded);
      if (previous != null) {
        log.info("Model generation {} replaces generation {}; the old one closes after its {}"
                + " requests in progress", generation, previous.identity().generation(),
            previous.references() - 1);
        previous.retire();
      }
      return loaded.identity();
    }
  }

  /** Returns the path of the current model, or null before the first load. */
  public Path currentPath() {
    LoadedModel model = current.get();
    return model == null ? null : Path.of(model.identity().path());
  }

  /**
   * Returns the current model with a reference held for the caller, who must {@link
   * LoadedModel#release release} it; null when no model is loaded.
   */
  public LoadedModel acquire() {
    while (true) {
      LoadedModel model = current.get();
      if (model == null) {
        return null;
      }
      if (model.retain()) {
        return model;
      }
      // A reload retired and closed this model between the read and the retain: read again.
    }
  }

  /** Returns whether a model is loaded. */
  public boolean ready() {
    return current.get() != null;
  }

  private LoadedModel load(Path file, long newGeneration) throws IOException {
    long start = System.nanoTime();
    checkIsFile(file);
    String sha256 = sha256(file);
    ModelBundle bundle = ModelFile.read(file);
    BackboneDescriptor descriptor =
        BackboneDescriptor.parse(
            new String(bundle.backboneDescriptor(), StandardCharsets.UTF_8),
            file + " (embedded backbone.json)");
    OnnxFeatureExtractor extractor =
        OnnxFeatureExtractor.fromBytes(bundle.backboneOnnx(), descriptor, backboneThreads);
    ModelIdentity identity =
        new ModelIdentity(
            file.toString(), sha256, bundle.model().type(), bundle.model().backbone().id(),
            bundle.input().label(), newGeneration, Instant.now());
    log.info("Loaded model generation {} from {}: {} on {}, input mode {}, sha256 {}, {} ms",
        newGeneration, file, identity.modelType(), identity.backbone(), identity.inputMode(),
        sha256, (System.nanoTime() - start) / 1_000_000);
    return new LoadedModel(identity, bundle, extractor);
  }

  /**
   * Rejects a missing path or a folder with a {@link ModelFileException} that names it, before
   * the checksum reads the file and fails with the bare path as its message.
   */
  private static void checkIsFile(Path file) {
    if (Files.isDirectory(file)) {
      throw new ModelFileException(
          "model file %s is a folder, not a model file; name the .flawmap file inside it"
              .formatted(file));
    }
    if (!Files.exists(file)) {
      throw new ModelFileException(
          "model file %s not found; check the path or run flawmap fit first".formatted(file));
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Stops serving: retires the current model, which closes after its last request. */
  @Override
  public void close() {
    LoadedModel previous = current.getAndSet(null);
    if (previous != null) {
      previous.retire();
    }
  }
}
