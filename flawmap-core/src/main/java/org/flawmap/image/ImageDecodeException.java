package org.flawmap.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file that cannot be decoded. The message names the file and the {@link Problem}.
 *
 * <p>It extends {@link IOException} because decoding is file input, so callers that already
 * handle I/O errors of a file handle this one too. {@link #problem()} distinguishes the causes.
 */
public class ImageDecodeException extends IOException {

  /** Cause of a decoding failure. */
  public enum Problem {
    /** The file could not be read (missing, unreadable, an I/O error). */
    READ_FAILED("cannot be read"),
    /** The file is empty or its bytes match no image format. */
    NOT_AN_IMAGE("is not an image"),
    /** An image format or a variant of one (CMYK JPEG, GIF, TIFF) that is not supported. */
    UNSUPPORTED_FORMAT("is in an unsupported format"),
    /** The file ends before the image data does. */
    TRUNCATED("is truncated"),
    /** The structure or the compressed data is invalid (bad checksum, decoder warning). */
    CORRUPT("is corrupt");

    private final String description;

    Problem(String description) {
      this.description = description;
    }

    /**
     * Short lower-case predicate used in messages after the file name, for example {@code is
     * truncated}.
     */
    public String description() {
      return description;
    }
  }

  private final Path file;
  private final Problem problem;

  public ImageDecodeException(Path file, Problem problem, String detail) {
    super(message(file, problem, detail));
    this.file = file;
    this.problem = problem;
  }

  public ImageDecodeException(Path file, Problem problem, String detail, Throwable cause) {
    super(message(file, problem, detail), cause);
    this.file = file;
    this.problem = problem;
  }

  public Path file() {
    return file;
  }

  public Problem problem() {
    return problem;
  }

  private static String message(Path file, Problem problem, String detail) {
    return "image " + file + " " + problem.description() + ": " + detail;
  }
}
