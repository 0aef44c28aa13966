package org.flawmap.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of finished images in a prediction output folder, so that an interrupted run can
 * resume without redoing them.
 *
 * <p>The file, {@value #FILE_NAME}, contains one JSON object per line, appended once all of an
 * image's output files are written:
 * {@code {"model_sha256": HEX, "image": ABSOLUTE_PATH, "bytes": N, "modified_ms": T,
 * "images": BOOL, "row": PREDICTION}}. A record is reused only when the model file's SHA-256,
 * the input's absolute path, size and modification time, and whether PNG files were requested
 * all match, so a different model or a changed image is always predicted again.
 *
 * <p>{@link #open} rewrites the file atomically with only the reusable records, which also
 * drops a last line cut short when a run was killed while appending it.
 */
public final class PredictionJournal implements AutoCloseable {

  /** Name of the journal inside the output folder. */
  public static final String FILE_NAME = "predict-journal.jsonl";

  private static final Logger log = LoggerFactory.getLogger(PredictionJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Identity of one input image: absolute normalised path, size in bytes, mtime in ms. */
  public record Key(String path, long bytes, long modifiedMillis) {

    public static Key of(Path file) throws IOException {
      Path absolute = file.toAbsolutePath().normalize();
      return new Key(
          absolute.toString(), Files.size(absolute),
          Files.getLastModifiedTime(absolute).toMillis());
    }
  }

  private final Path file;
  private final String modelSha256;
  private final boolean images;
  private final Map<String, ObjectNode> finished;
  private final int dropped;
  private final FileChannel channel;

  private PredictionJournal(
      Path file, String modelSha256, boolean images, Map<String, ObjectNode> finished,
      int dropped, FileChannel channel) {
    this.file = file;
    this.modelSha256 = modelSha256;
    this.images = images;
    this.finished = finished;
    this.dropped = dropped;
    this.channel = channel;
  }

  /**
   * Opens the journal in {@code folder}, creating it when absent.
   *
   * @param modelSha256 hex SHA-256 of the model file, see {@link #sha256}
   * @param images whether this run writes PNG files as well as prediction rows
   */
  public static PredictionJournal open(Path folder, String modelSha256, boolean images)
      throws IOException {
    Path file = folder.resolve(FILE_NAME);
    Map<String, ObjectNode> records = new LinkedHashMap<>();
    int dropped = 0;
    if (Files.exists(file)) {
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        ObjectNode record = parse(line, file, number);
        if (record != null
            && modelSha256.equals(record.path("model_sha256").asText())
            && record.path("images").asBoolean() == images
            && record.path("row").isObject()) {
          records.put(keyString(record), record);
        } else {
          dropped++;
        }
      }
    }
    StringBuilder text = new StringBuilder();
    for (ObjectNode record : records.values()) {
      text.append(JSON.writeValueAsString(record)).append('\n');
    }
    AtomicFiles.writeString(file, text.toString());
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (dropped > 0) {
      log.info(
          "Dropped {} records of {}: unreadable, or made with another model file or options",
          dropped, file);
    }
    return new PredictionJournal(file, modelSha256, images, records, dropped, channel);
  }

  private static ObjectNode parse(String line, Path file, int number) {
    if (line.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(line);
      return node instanceof ObjectNode object ? object : null;
    } catch (JsonProcessingException e) {
      log.warn("Ignoring line {} of {}, which is not a JSON object: {}", number, file,
          e.getOriginalMessage());
      return null;
    }
  }

  private static String keyString(JsonNode record) {
    return record.path("image").asText() + '\n' + record.path("bytes").asLong() + '\n'
        + record.path("modified_ms").asLong();
  }

  private static String keyString(Key key) {
    return key.path() + '\n' + key.bytes() + '\n' + key.modifiedMillis();
  }

  /** Returns the prediction row recorded for this image by an earlier run, or null. */
  public synchronized ObjectNode finished(Key key) {
    ObjectNode record = finished.get(keyString(key));
    return record == null ? null : (ObjectNode) record.get("row");
  }

  /** Returns the number of records kept from earlier runs. */
  public synchronized int reusableCount() {
    return finished.size();
  }

  /** Returns the number of records dropped on opening: other model, options or unreadable. */
  public int droppedCount() {
    return dropped;
  }

  public Path file() {
    return file;
  }

  /**
   * Appends the record of a finished image in one write and forces it to disk. Call it only
   * after every output file of the image is written.
   */
  public synchronized void append(Key key, ObjectNode row) throws IOException {
    ObjectNode record = JSON.createObjectNode();
    record.put("model_sha256", modelSha256);
    record.put("image", key.path());
    record.put("bytes", key.bytes());
    record.put("modified_ms", key.modifiedMillis());
    record.put("images", images);
    record.set("row", row);
    byte[] bytes = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(false);
    finished.put(keyString(key), record);
  }

  /** Returns the hex SHA-256 of a file's content, read in a stream. */
  public static String sha256(Path file) throws IOException {
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

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
