package org.flawmap.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an output folder, held by one command while it writes there. Two
 * predict runs into one folder would interleave their journal records and overwrite each
 * other's summary, so the second one stops at once instead. The lock is the operating
 * system's on the file {@code .flawmap.lock}, so it is released when the process ends, even
 * when it is killed; the empty file itself stays.
 */
final class OutputLock implements AutoCloseable {

  static final String FILE_NAME = ".flawmap.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private OutputLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code folder}, which must exist.
   *
   * @throws IllegalStateException when another run has taken it
   */
  static OutputLock take(Path folder, String command) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Another run in this JVM has taken it, as in-process tests do.
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          ("another %s run is writing to %s (it holds %s); wait for it to finish, or give this"
                  + " run another --output folder")
              .formatted(command, folder, file));
    }
    return new OutputLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
