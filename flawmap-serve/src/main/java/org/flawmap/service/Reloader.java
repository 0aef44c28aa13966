package org.flawmap.service;

import java.nio.file.Path;
import org.flawmap.model.io.ModelFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the model on request (HTTP or SIGHUP), counting each outcome. A failed reload leaves
 * the current model serving.
 */
public final class Reloader {

  private static final Logger log = LoggerFactory.getLogger(Reloader.class);

  private final ModelHolder models;
  private final ServiceMetrics metrics;

  Reloader(ModelHolder models, ServiceMetrics metrics) {
    this.models = models;
    this.metrics = metrics;
  }

  /**
   * Loads {@code file}, or the current model's file again when it is null. A relative path
   * resolves against the server's working folder, and the logs and errors name the absolute path.
   *
   * @throws ApiException 422 {@code reload_failed}, naming the file and the cause
   */
  public ModelIdentity reload(Path file, String trigger) throws ApiException {
    Path target = file != null ? file.toAbsolutePath() : models.currentPath();
    if (target == null) {
      throw new ApiException(409, "no_model_path",
          "no model has been loaded yet, so there is no file to reload; name one in \"path\"");
    }
    try {
      ModelIdentity identity = models.reload(target);
      metrics.reload(true);
      log.info("Reload ({}) of {} succeeded: generation {} now serves", trigger, target,
          identity.generation());
      return identity;
    } catch (Exception | OutOfMemoryError e) {
      metrics.reload(false);
      log.error("Reload ({}) of {} failed, the previous model keeps serving: {}", trigger, target,
          e.toString());
      throw new ApiException(422, "reload_failed", failureMessage(target, e)
          + ". The previous model keeps serving; fix the file and reload again",
          java.util.Map.of(), e);
    }
  }

  /**
   * Returns the cause of a failed load in words. A {@link ModelFileException} already names the
   * file and the fix; other exceptions, such as an I/O error, often carry only the path.
   */
  private static String failureMessage(Path target, Throwable e) {
    if (e instanceof ModelFileException) {
      return e.getMessage();
    }
    return "cannot load model file " + target + " (" + e + ")";
  }

  /**
   * Reloads the current model file on SIGHUP, through the JDK's {@code sun.misc.Signal}
   * (module jdk.unsupported), which HotSpot on Linux and macOS supports. Returns false where the
   * JVM does not offer SIGHUP (Windows, or a JVM started with {@code -Xrs}).
   */
  @SuppressWarnings("removal")
  boolean handleSighup() {
    try {
      Signal.handle(new Signal("HUP"), signal -> {
        try {
          reload(null, "SIGHUP");
        } catch (ApiException e) {
          // reload() has logged and counted the failure.
        }
      });
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP reload is not available in this JVM ({}); use POST /v1/admin/reload",
          e.getMessage());
      return false;
    }
  }
}
