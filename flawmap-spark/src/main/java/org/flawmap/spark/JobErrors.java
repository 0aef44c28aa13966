package org.flawmap.spark;

import org.flawmap.image.ImageDecodeException;
import org.flawmap.model.io.ModelFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps the job's failures to the exit codes of {@code flawmap}: 3 for an invalid input (a
 * missing file, a bad model file or option value, an unreadable image with
 * {@code --fail-on-bad-image}), 1 for anything else. Spark reports a failed task as a
 * {@code SparkException} that often carries the task's exception only as text in its message,
 * so both the cause chain and that text are searched for the image error.
 */
final class JobErrors implements IExecutionExceptionHandler {

  static final int EXIT_FAILURE = 1;
  static final int EXIT_INVALID_INPUT = 3;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cli, ParseResult parseResult) {
    Throwable invalid = invalidInput(e);
    if (invalid != null) {
      cli.getErr().println("flawmap-spark: error: " + invalid.getMessage());
      return EXIT_INVALID_INPUT;
    }
    String imageError = imageErrorInMessage(e);
    if (imageError != null) {
      cli.getErr().println("flawmap-spark: error: " + imageError
          + "; remove the file, or leave out --fail-on-bad-image to list it in 'error'");
      return EXIT_INVALID_INPUT;
    }
    cli.getErr().println("flawmap-spark: error: " + e);
    e.printStackTrace(cli.getErr());
    return EXIT_FAILURE;
  }

  private static Throwable invalidInput(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ImageSources.InvalidInputException
          || t instanceof ImageDecodeException
          || t instanceof ModelFileException) {
        return t;
      }
    }
    return null;
  }

  /** Returns the message of an image error quoted in a Spark task failure, or null. */
  private static String imageErrorInMessage(Throwable e) {
    String marker = ImageDecodeException.class.getName() + ": ";
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      int at = message == null ? -1 : message.indexOf(marker);
      if (at >= 0) {
        int end = message.indexOf('\n', at);
        return message.substring(at + marker.length(), end < 0 ? message.length() : end);
      }
    }
    return null;
  }
}
