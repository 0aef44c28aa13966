package org.flawmap.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples that {@link SampleLoader} skipped under {@link OnBadFile#SKIP}, so that a run can
 * count them and list them in its report. Thread-safe.
 */
public final class SkippedFiles {

  /**
   * One skipped sample.
   *
   * @param sampleId id of the skipped sample
   * @param file the image or mask file at fault
   * @param reason what is wrong with it
   */
  public record Entry(String sampleId, Path file, String reason) {}

  private final List<Entry> entries = new ArrayList<>();

  synchronized void add(Entry entry) {
    entries.add(entry);
  }

  /** Returns a snapshot of the entries in the order they were skipped. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  public synchronized int count() {
    return entries.size();
  }

  public synchronized boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public synchronized String toString() {
    StringBuilder text = new StringBuilder();
    text.append(entries.size()).append(" skipped");
    for (Entry entry : entries) {
      text.append("\n  - ").append(entry.file()).append(": ").append(entry.reason());
    }
    return text.toString();
  }
}
