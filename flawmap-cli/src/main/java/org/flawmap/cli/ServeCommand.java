package org.flawmap.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.flawmap.image.ImageDecoder;
import org.flawmap.service.InspectionServer;
import org.flawmap.service.ServiceLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a model file over HTTP: POST an image to /v1/inspect and get its image score,"
          + " label, defect area and defect regions as JSON. Also GET /healthz, /readyz,"
          + " /metrics (Prometheus) and /v1/model. SIGHUP reloads the model file.",
      "See docs/service.md for the endpoints, limits and errors."
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "TCP port; 0 picks a free one and prints it (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "33554432",
      paramLabel = "BYTES",
      description = "Maximum request body, in bytes (default: ${DEFAULT-VALUE}, 32 MiB).")
  long maxBodyBytes;

  @Option(
      names = "--max-pixels",
      defaultValue = "50000000",
      paramLabel = "PIXELS",
      description = "Maximum image size, width × height in pixels, checked from the image header"
          + " before decoding (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Option(
      names = "--request-timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Maximum time for one request, upload and inspection, in seconds"
          + " (default: ${DEFAULT-VALUE}).")
  double requestTimeoutSeconds;

  @Option(
      names = "--max-concurrent",
      defaultValue = "4",
      paramLabel = "N",
      description = "Inspections at once; more get 503 with Retry-After"
          + " (default: ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(
      names = "--allow-reload",
      description = "Allow POST /v1/admin/reload to load a model file, the same one or the one"
          + " named in its JSON body.")
  boolean allowReload;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, found " + port);
    }

    if (maxPixels > ImageDecoder.MAX_PIXELS) {
      throw new IllegalArgumentException(
          ("--max-pixels %d is above the decoder's limit of %d pixels; lower it, or raise the"
                  + " decoder's limit with FLAWMAP_JAVA_OPTS=\"-Dflawmap.maxImagePixels=N\"")
              .formatted(maxPixels, ImageDecoder.MAX_PIXELS));
    }

    if (!(requestTimeoutSeconds > 0) || requestTimeoutSeconds > 3600) {
      throw new IllegalArgumentException(
          "--request-timeout must be more than 0 and at most 3600 seconds, found "
              + requestTimeoutSeconds);
    }

    ServiceLimits limits =
        new ServiceLimits(
            maxBodyBytes, maxPixels,
            Duration.ofMillis(Math.round(requestTimeoutSeconds * 1000)), maxConcurrent,
            ServiceLimits.DEFAULTS.retryAfterSeconds());
    InspectionServer.Settings settings =
        new InspectionServer.Settings(
            host, port, limits, allowReload, Threads.backbone(modelOptions.threads));

    InspectionServer server = InspectionServer.start(modelOptions.model, settings);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("flawmap serve: stopping failed: " + e);
      }
    }, "flawmap-serve-stop"));

    boolean sighup = server.reloadOnSighup();
    System.out.printf("flawmap serve: listening on %s (model %s%s); stop with Ctrl-C%n",
        server.uri(), modelOptions.model, sighup ? ", SIGHUP reloads it" : "");
    System.out.flush();
    server.join();
    return 0;
  }
}
