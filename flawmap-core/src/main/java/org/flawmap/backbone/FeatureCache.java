package org.flawmap.backbone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.flawmap.report.AtomicFiles;

/**
 * Backbone features stored on disk, one file per backbone input, so that a benchmark runs the
 * backbone once per image and reuses the features for every model. A file contains the stages'
 * CHW arrays one after the other as little-endian float32, and its name is the SHA-256 of its
 * key. {@link org.flawmap.inference.BatchRunner} uses the image id as the key in resize mode and
 * adds the input settings and the tile index in the other modes, so one folder can hold the
 * features of several modes. The
 * folder belongs to one backbone (and one dataset): callers keep one folder per backbone
 * checksum, because the cache does not check which backbone wrote a file.
 *
 * <p>Thread-safe: writes are atomic, so concurrent readers see a whole file or none.
 */
public final class FeatureCache {

  private final Path folder;
  private final List<StageInfo> stages;
  private final int[] heights;
  private final int[] widths;
  private final long bytes;

  public FeatureCache(Path folder, BackboneInfo backbone) throws IOException {
    this.folder = Files.createDirectories(folder);
    this.stages = backbone.stages();
    this.heights = new int[stages.size()];
    this.widths = new int[stages.size()];
    long total = 0;
    for (int s = 0; s < stages.size(); s++) {
      heights[s] = backbone.inputHeight() / stages.get(s).stride();
      widths[s] = backbone.inputWidth() / stages.get(s).stride();
      total += 4L * stages.get(s).channels() * heights[s] * widths[s];
    }
    this.bytes = total;
  }

  /** Returns the cached features of key {@code id}, or null when none are stored. */
  public FeatureMap[] get(String id) {
    Path file = fileOf(id);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      byte[] data = Files.readAllBytes(file);
      if (data.length != bytes) {
        // A file of the wrong size is from another backbone or damaged; compute it again.
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      FeatureMap[] maps = new FeatureMap[stages.size()];
      for (int s = 0; s < maps.length; s++) {
        StageInfo stage = stages.get(s);
        float[] values = new float[stage.channels() * heights[s] * widths[s]];
        buffer.asFloatBuffer().get(values);
        buffer.position(buffer.position() + 4 * values.length);
        maps[s] = new FeatureMap(stage.channels(), heights[s], widths[s], stage.stride(), values);
      }
      return maps;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cached features " + file, e);
    }
  }

  public void put(String id, FeatureMap[] features) {
    ByteBuffer buffer = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (FeatureMap map : features) {
      buffer.asFloatBuffer().put(map.data());
      buffer.position(buffer.position() + 4 * map.data().length);
    }
    Path file = fileOf(id);
    try {
      AtomicFiles.write(file, out -> out.write(buffer.array()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cached features " + file, e);
    }
  }

  private Path fileOf(String id) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return folder.resolve(HexFormat.of().formatHex(digest) + ".f32");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
