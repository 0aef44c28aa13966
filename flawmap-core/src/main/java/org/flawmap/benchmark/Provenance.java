package org.flawmap.benchmark;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.flawmap.dataset.Sample;
import org.flawmap.engine.DatasetSession;

/** The dataset part of a benchmark's provenance: path, counts and a checksum of its files. */
final class Provenance {

  private Provenance() {}

  static ObjectNode dataset(BenchmarkConfig.DatasetSpec spec, DatasetSession session)
      throws IOException {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("product", session.dataset().product());
    d.put("path", spec.path().toAbsolutePath().toString());
    d.put("layout", session.layout());
    d.put("train_images", session.dataset().train().size());
    d.put("validation_images", session.split().validation().size());
    d.put("test_images", session.split().test().size());
    d.put("sha256", checksum(session));
    if (spec.labels() == null) {
      d.putNull("labels");
    } else {
      d.put("labels", spec.labels().toAbsolutePath().toString());
    }
    return d;
  }

  /**
   * Returns the SHA-256 over every sample's id, image bytes and mask bytes, in id order, so two
   * runs on the same files give the same value whatever the folder is called.
   */
  static String checksum(DatasetSession session) throws IOException {
    List<Sample> all = new ArrayList<>(session.dataset().train());
    all.addAll(session.split().validation());
    all.addAll(session.split().test());
    all.sort(java.util.Comparator.comparing(Sample::id));
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Sample s : all) {
        digest.update(s.id().getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(s.image()));
        if (s.mask() != null) {
          digest.update(Files.readAllBytes(s.mask()));
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
