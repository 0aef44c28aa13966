package org.flawmap.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.flawmap.backbone.onnx.BackboneException;
import org.flawmap.dataset.DatasetException;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.labels.LabelException;
import org.flawmap.model.io.ModelFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps the exceptions of every command to one message line and a documented exit code; the
 * stack trace goes to the log at DEBUG, or to standard error with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    int code = exitCode(e);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof NoSuchFileException missing) {
      message = "file or folder not found: " + missing.getFile()
          + "; check the path, which is relative to the working folder unless it starts with /";
    } else if (e instanceof AccessDeniedException denied) {
      message = "permission denied: " + denied.getFile()
          + "; choose a folder you can write to, or fix its permissions";
    } else if (e instanceof FileSystemException fs) {
      message = "cannot use " + fs.getFile()
          + (fs.getReason() == null ? "" : ": " + fs.getReason());
    }
    cli.getErr().println("flawmap: error: " + message);
    log.debug("command failed", e);
    return code;
  }

  static int exitCode(Exception e) {
    if (e instanceof DatasetException
        || e instanceof ModelFileException
        || e instanceof ImageDecodeException
        || e instanceof LabelException
        || e instanceof BackboneException
        || e instanceof FileSystemException
        || e instanceof IllegalArgumentException
        || e instanceof NoSuchFileException
        || e instanceof FileNotFoundException) {
      return Main.EXIT_INVALID_INPUT;
    }
    return Main.EXIT_FAILURE;
  }
}
