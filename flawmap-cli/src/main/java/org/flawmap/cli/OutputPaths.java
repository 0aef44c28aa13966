package org.flawmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks output locations before any work starts, so that a bad {@code --output} fails in a
 * second, not after a long fit.
 */
final class OutputPaths {

  private OutputPaths() {}

  /** Creates {@code folder} if needed and checks that files can be written into it. */
  static Path folder(Path folder) throws IOException {
    requireNamed(folder);
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "--output %s is a file, not a folder; name a folder for the outputs".formatted(folder));
    }
    Files.createDirectories(folder);
    requireWritable(folder);
    return folder;
  }

  /** Checks that {@code file} can be written: not a folder, in a writable folder. */
  static Path file(Path file) throws IOException {
    requireNamed(file);
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          "--output %s is a folder; name the file to write, for example %s"
              .formatted(file, file.resolve("model.flawmap")));
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    requireWritable(parent);
    return file;
  }

  private static void requireNamed(Path path) {
    if (path.toString().isBlank()) {
      throw new IllegalArgumentException("--output is empty; name a file or folder");
    }
  }

  private static void requireWritable(Path folder) {
    if (!Files.isWritable(folder)) {
      throw new IllegalArgumentException(
          "cannot write to %s (permission denied); choose a folder you can write to"
              .formatted(folder));
    }
  }
}
