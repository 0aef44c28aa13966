package org.flawmap.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns image files under the benchmark output folder into {@code data:} URIs, so that the report
 * opens without its folder. A file that is missing, outside the folder or neither PNG nor JPEG
 * becomes a visible placeholder instead of failing the whole report.
 */
final class ImageEmbedder {

  private static final Logger LOG = LoggerFactory.getLogger(ImageEmbedder.class);
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] JPEG_SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

  private final Path folder;
  private int embedded;
  private long embeddedBytes;
  private int missing;

  ImageEmbedder(Path outputFolder) {
    this.folder = outputFolder.toAbsolutePath().normalize();
  }

  /**
   * Returns why {@code relative} cannot name a file inside the output folder, or null when it
   * can. Absolute paths and {@code ..} segments are rejected, because the report must only embed
   * what the benchmark wrote.
   */
  static String pathProblem(String relative) {
    Path path;
    try {
      path = Path.of(relative);
    } catch (InvalidPathException e) {
      return "'" + relative + "' is not a valid path: " + e.getReason();
    }
    if (relative.isBlank() || path.isAbsolute() || relative.startsWith("/")) {
      return "'" + relative + "' is not a path relative to the output folder";
    }
    for (Path part : path) {
      if (part.toString().equals("..")) {
        return "'" + relative + "' leaves the output folder through '..'";
      }
    }
    return null;
  }

  /** Writes an {@code <img>} with the embedded file, or a placeholder naming the problem. */
  void writeImage(Html html, String relative, String alt) {
    String problem = pathProblem(relative);
    byte[] bytes = null;
    if (problem == null) {
      Path file = folder.resolve(relative).normalize();
      try {
        bytes = Files.readAllBytes(file);
        problem = mediaType(bytes) == null ? "not a PNG or JPEG file" : null;
      } catch (IOException e) {
        problem = "cannot be read (" + e + ")";
      }
    }
    if (problem != null) {
      missing++;
      LOG.warn("Report image {} in {} is left out: {}", relative, folder, problem);
      html.element("span", "image missing: " + relative, "class", "missing-file", "title", problem);
      return;
    }

    embedded++;
    embeddedBytes += bytes.length;
    String base64 = Base64.getEncoder().encodeToString(bytes);
    String uri = "data:" + mediaType(bytes) + ";base64," + base64;
    html.empty("img", "src", uri, "alt", alt, "title", alt, "loading", "eager");
  }

  private static String mediaType(byte[] bytes) {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return "image/png";
    }
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      return "image/jpeg";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  int embedded() {
    return embedded;
  }

  /** Returns the size of the embedded files before base64 encoding, in bytes. */
  long embeddedBytes() {
    return embeddedBytes;
  }

  int missing() {
    return missing;
  }
}
