package org.flawmap.labels.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.flawmap.labels.LabelFile;
import org.flawmap.labels.LabelRow;
import org.flawmap.report.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one label file as the labelling page edits them, with a revision per row so that
 * two pages on the same file do not overwrite each other's work.
 *
 * <p>Each row's revision starts at 0 and grows by one on every change, saved through this store
 * or made to the file by another program. A page sends the revision it last saw with each save.
 * The save is accepted when the row's revision is still that value, whatever happened to other
 * rows (a row-wise merge), and rejected as a conflict otherwise. Every accepted save rewrites
 * the whole file atomically with {@link LabelFile#write}, keeping the file order of the rows and
 * appending new rows at the end.
 */
final class LabelStore {

  /** A row and its revision; {@code row} is null when the file has no row for the path. */
  record Entry(LabelRow row, long revision) {}

  /**
   * Result of a save.
   *
   * @param accepted whether the row was written
   * @param current the row as stored after the save, the other page's row on a conflict
   * @param merged whether other rows had changed since the page's version, so the file written
   *     combines both pages' work
   * @param version the file version after the save
   */
  record Outcome(boolean accepted, Entry current, boolean merged, long version) {}

  private static final Logger log = LoggerFactory.getLogger(LabelStore.class);

  private final Path file;
  private final Map<String, LabelRow> rows = new LinkedHashMap<>();
  private final Map<String, Long> revisions = new HashMap<>();
  private long version;
  private String writtenDigest;

  /** Loads {@code file}, or starts empty when it does not exist yet. */
  LabelStore(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      for (LabelRow row : LabelFile.read(file)) {
        rows.put(row.path(), row);
      }
      writtenDigest = digest(file);
    }
  }

  /** Returns the file version: the number of changes since the server started. */
  synchronized long version() {
    return version;
  }

  /** Returns the row of {@code path} and its revision. */
  synchronized Entry get(String path) {
    return new Entry(rows.get(path), revisions.getOrDefault(path, 0L));
  }

  /**
   * Saves {@code row} when the stored row of its path still has {@code baseRevision}.
   *
   * @param baseVersion the file version the page last saw, only to report a merge
   */
  synchronized Outcome save(LabelRow row, long baseRevision, long baseVersion) throws IOException {
    reloadIfChangedOnDisk();

    Entry current = get(row.path());
    if (current.revision() != baseRevision) {
      return new Outcome(false, current, false, version);
    }

    boolean merged = baseVersion != version;
    Map<String, LabelRow> next = new LinkedHashMap<>(rows);
    next.put(row.path(), row);
    String text = LabelFile.format(new ArrayList<>(next.values()));
    AtomicFiles.writeString(file, text);
    writtenDigest = digest(text.getBytes(StandardCharsets.UTF_8));

    rows.put(row.path(), row);
    revisions.merge(row.path(), 1L, Long::sum);
    version++;
    return new Outcome(true, get(row.path()), merged, version);
  }

  /**
   * Rereads the file when another program changed it since the last write, and counts every row
   * it changed, added or removed as a new revision, so pages holding the old row get a conflict.
   *
   * <p>NOTE: a write by another program between this check and this store's write is lost, so
   * two servers on one file are safe only while their saves do not overlap in time.
   */
  private void reloadIfChangedOnDisk() throws IOException {
    boolean exists = Files.exists(file);
    String onDisk = exists ? digest(file) : null;
    if (Objects.equals(onDisk, writtenDigest)) {
      return;
    }

    log.warn("label file {} was changed by another program; merging its rows", file);
    Map<String, LabelRow> fresh = new LinkedHashMap<>();
    if (exists) {
      for (LabelRow row : LabelFile.read(file)) {
        fresh.put(row.path(), row);
      }
    }
    Set<String> paths = new LinkedHashSet<>(rows.keySet());
    paths.addAll(fresh.keySet());
    for (String path : paths) {
      if (!Objects.equals(rows.get(path), fresh.get(path))) {
        revisions.merge(path, 1L, Long::sum);
      }
    }
    rows.clear();
    rows.putAll(fresh);
    writtenDigest = onDisk;
    version++;
  }

  private static String digest(Path path) throws IOException {
    return digest(Files.readAllBytes(path));
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
