package org.flawmap.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, is flushed
 * to disk, and is then renamed over the target, so readers see the old file or the new one and
 * never a partial one.
 *
 * <p>A process killed with SIGKILL leaves its hidden {@code .NAME.HEX.tmp} file behind; the
 * target itself is never half-written. {@link #removeLeftovers} deletes such files in a folder
 * that no other process writes to, as {@code predict} does under its output lock.
 */
public final class AtomicFiles {

  /** Writes content to a stream; the stream is closed by the caller. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Name of a temporary file: a dot, the target's name, up to 16 hex digits, {@code .tmp}. */
  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

  /**
   * Temporary files being written; a shutdown hook removes them after Ctrl-C or SIGTERM. Guarded
   * by itself, together with {@link #stopping}, so that no temporary file is created after the
   * hook has run: writer threads go on while the JVM stops.
   */
  private static final java.util.Set<Path> PENDING = new java.util.HashSet<>();

  private static boolean stopping;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(AtomicFiles::removePending, "flawmap-remove-temporary-files"));
  }

  private AtomicFiles() {}

  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path folder = absolute.getParent();
    Files.createDirectories(folder);
    // A temporary file opened with CREATE_NEW, unlike Files.createTempFile, gets the usual
    // permissions (umask), so the final file is readable as any other output.
    Path temp =
        folder.resolve(
            "." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    java.nio.channels.FileChannel opened;
    synchronized (PENDING) {
      if (stopping) {
        throw new IOException("not writing " + absolute + ": the program is stopping");
      }
      opened = java.nio.channels.FileChannel.open(
          temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      PENDING.add(temp);
    }
    try {
      try (var channel = opened;
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
      synchronized (PENDING) {
        PENDING.remove(temp);
      }
    }
  }

  /** Deletes the temporary files being written and stops new ones; run by the shutdown hook. */
  private static void removePending() {
    synchronized (PENDING) {
      stopping = true;
      for (Path temp : PENDING) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // Nothing more can be done while the JVM stops; the file is hidden.
        }
      }
    }
  }

  /**
   * Deletes the temporary files that an interrupted or killed writer left in {@code folder} and
   * the folders below it, and returns how many. Call it only where no other process writes, for
   * example under an output lock: a file of a write in progress looks the same.
   */
  public static int removeLeftovers(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    java.util.List<Path> leftovers;
    try (var files = Files.walk(folder)) {
      leftovers = files
          .filter(file -> TEMPORARY.matcher(file.getFileName().toString()).matches())
          .filter(Files::isRegularFile)
          .toList();
    }
    for (Path file : leftovers) {
      Files.deleteIfExists(file);
    }
    return leftovers.size();
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }
}
