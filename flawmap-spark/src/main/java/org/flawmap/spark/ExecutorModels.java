package org.flawmap.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.inference.Inspector;
import org.flawmap.model.io.ModelBundle;
import org.flawmap.model.io.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files opened in this JVM, one per SHA-256 digest. Every task of an executor shares
 * them, so a model file is read and its backbone session created once per executor JVM, not
 * once per task or partition. Entries live until the JVM exits, because a Spark executor has no
 * hook that runs when a job's last task ends.
 */
final class ExecutorModels {

  private static final Logger log = LoggerFactory.getLogger(ExecutorModels.class);

  private static final Map<String, ScoringModel> OPEN = new ConcurrentHashMap<>();

  private static final AtomicInteger READS = new AtomicInteger();

  /**
   * An opened model file: the bundle from {@link ModelFile#read}, its embedded backbone and the
   * {@link Inspector} that {@code flawmap predict} builds from them.
   */
  record ScoringModel(ModelBundle bundle, OnnxFeatureExtractor extractor, Inspector inspector) {}

  private ExecutorModels() {}

  /**
   * Returns the model with digest {@code sha256}, reading it from {@code file} on first use.
   *
   * @param file the model file as this JVM finds it
   * @param sha256 hex digest computed on the driver; a file with another digest is rejected,
   *     so that executors never score with a different model than the driver checked
   * @param threads ONNX Runtime intra-op threads of the backbone session
   */
  static ScoringModel get(Path file, String sha256, int threads) {
    return OPEN.computeIfAbsent(sha256, digest -> open(file, digest, threads));
  }

  /** Returns how often this JVM has read a model file; tests check the once-per-JVM rule. */
  static int readCount() {
    return READS.get();
  }

  private static ScoringModel open(Path file, String expectedSha256, int threads) {
    long start = System.nanoTime();
    try {
      String found = sha256(file);
      if (!found.equals(expectedSha256)) {
        throw new IllegalStateException(
            ("model file %s has SHA-256 %s on this executor but %s on the driver; give every"
                    + " executor the same file, or use --ship-model")
                .formatted(file, found, expectedSha256));
      }
      ModelBundle bundle = ModelFile.read(file);
      READS.incrementAndGet();
      BackboneDescriptor descriptor =
          BackboneDescriptor.parse(
              new String(bundle.backboneDescriptor(), StandardCharsets.UTF_8),
              file + " (embedded backbone.json)");
      OnnxFeatureExtractor extractor =
          OnnxFeatureExtractor.fromBytes(bundle.backboneOnnx(), descriptor, threads);
      Inspector inspector =
          new Inspector(bundle.model(), bundle.calibration(), bundle.input());
      log.info(
          "Opened model file {} (SHA-256 {}) in {} ms", file, expectedSha256,
          (System.nanoTime() - start) / 1_000_000);
      return new ScoringModel(bundle, extractor, inspector);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read model file " + file + " on this executor: " + e.getMessage(), e);
    }
  }

  /** Returns the lower-case hex SHA-256 digest of {@code file}'s bytes. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
