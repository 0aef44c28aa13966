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
 * <p>NOTE: a process killed with SIGKILL leaves its hidden {@code .NAME.*.tmp} file behind; the
 * target itself is never half-written, and no later run removes such leftovers.
 */
public final class AtomicFiles {

  /** Writes content to a stream; the stream is closed by the caller. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Temporary files being written; a shutdown hook removes them after Ctrl-C or SIGTERM. */
  private static final java.util.Set<Path> PENDING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Path temp : PENDING) {
                    try {
                      Files.deleteIfExists(temp);
                    } catch (IOException e) {
                      // Nothing more can be done while the JVM stops; the file is hidden.
                    }
                  }
                },
                "flawmap-remove-temporary-files"));
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
    PENDING.add(temp);
    try {
      try (var channel =
              java.nio.channels.FileChannel.open(
                  temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
      PENDING.remove(temp);
    }
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }
}
