package org.flawmap.labels.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves request paths to files inside the dataset folder, so the page can show images and
 * masks but nothing else on the disk.
 */
final class DatasetFiles {

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "png", "image/png",
      "jpg", "image/jpeg",
      "jpeg", "image/jpeg",
      "bmp", "image/bmp",
      "gif", "image/gif",
      "webp", "image/webp");

  private final Path realRoot;

  DatasetFiles(Path root) throws IOException {
    this.realRoot = root.toRealPath();
  }

  /**
   * Returns the real path of the image file {@code relative} (decoded, forward slashes), or empty
   * when it does not exist.
   *
   * @throws SecurityException when the path is absolute, has a backslash or an empty, {@code .}
   *     or {@code ..} segment, or resolves (through a symbolic link) outside the dataset folder
   */
  Optional<Path> resolve(String relative) throws IOException {
    if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\\') >= 0
        || relative.indexOf('\0') >= 0 || relative.matches("^[A-Za-z]:.*")) {
      throw new SecurityException("path " + relative + " is not relative to the dataset folder");
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new SecurityException("path " + relative + " has an empty, . or .. segment");
      }
    }

    Path candidate = realRoot.resolve(relative).normalize();
    if (!candidate.startsWith(realRoot)) {
      throw new SecurityException("path " + relative + " is outside the dataset folder");
    }
    if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Path real = candidate.toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new SecurityException("path " + relative + " links outside the dataset folder");
    }
    if (!Files.isRegularFile(real) || contentType(real).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(real);
  }

  /** Returns the image content type of {@code file} by its extension, if it is one. */
  static Optional<String> contentType(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return Optional.ofNullable(CONTENT_TYPES.get(extension));
  }
}
