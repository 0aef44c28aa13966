package org.flawmap.service;

import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP inspection service on Jetty 12: load a model file, listen, and respond until {@link
 * #close}. See {@link ServiceHandler} for the endpoints.
 */
public final class InspectionServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InspectionServer.class);

  /**
   * Settings of one server.
   *
   * @param host address to bind, 127.0.0.1 unless the service must be reachable from elsewhere
   * @param port TCP port; 0 picks a free one, reported by {@link #uri()}
   * @param limits request limits
   * @param allowReload whether {@code POST /v1/admin/reload} may load a model
   * @param backboneThreads ONNX Runtime intra-op threads per backbone run
   */
  public record Settings(
      String host, int port, ServiceLimits limits, boolean allowReload, int backboneThreads) {}

  /** Four dot-separated decimal numbers: the form of an IPv4 literal, valid or not. */
  private static final java.util.regex.Pattern IPV4_FORM =
      java.util.regex.Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  /** How long {@link #close} waits for requests in progress. */
  static final long STOP_TIMEOUT_MILLIS = 5_000;

  private final Server server;
  private final ServerConnector connector;
  private final ModelHolder models;
  private final InspectionService inspections;
  private final ServiceMetrics metrics;
  private final Reloader reloader;

  private InspectionServer(Settings settings, ModelHolder models) {
    this.models = models;
    this.metrics = new ServiceMetrics();
    this.inspections = new InspectionService(models, settings.limits(), metrics);
    this.reloader = new Reloader(models, metrics);

    // Requests over the inspection limit are rejected with 503 at once, so a few threads beyond
    // it suffice. NOTE: Jetty's job queue stays unbounded (Jetty warns against a bounded one);
    // a flood of connections waits there for a thread, but holds no request body yet.
    int maxThreads = Math.max(16, 2 * settings.limits().maxConcurrent() + 8);
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, 4);
    threads.setName("flawmap-http");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.limits().requestTimeout().toMillis());
    server.addConnector(connector);
    // GracefulHandler makes stop() wait for requests in progress, up to the stop timeout.
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(new ServiceHandler(
        models, inspections, reloader, metrics, settings.limits(), settings.allowReload()));
    server.setHandler(graceful);
    server.setErrorHandler(new JsonErrorHandler(metrics));
    server.setStopTimeout(STOP_TIMEOUT_MILLIS);
  }

  /**
   * Loads {@code modelFile} and starts listening; a model file that cannot be loaded fails here,
   * before the port opens.
   */
  public static InspectionServer start(Path modelFile, Settings settings) throws Exception {
    checkHost(settings.host());
    ModelHolder models = new ModelHolder(settings.backboneThreads());
    try {
      models.reload(modelFile);
    } catch (Exception e) {
      models.close();
      throw e;
    }
    InspectionServer service = new InspectionServer(settings, models);
    try {
      service.server.start();
    } catch (Exception e) {
      service.close();
      throw e;
    }
    log.info("flawmap serve listening on {} with model {}", service.uri(), modelFile);
    return service;
  }

  /**
   * Rejects a host that is no address, before the model loads, because Jetty reports it only
   * as a bind failure on an unresolved address. A host in IPv4 form with a part over 255 is
   * rejected without a DNS lookup; any other name must resolve.
   *
   * @throws IllegalArgumentException naming the host
   */
  static void checkHost(String host) {
    if (host == null) {
      return;
    }
    String hint = "; use an IP address of this machine, such as 127.0.0.1, or 0.0.0.0 for all";
    if (IPV4_FORM.matcher(host).matches()) {
      for (String part : host.split("\\.")) {
        if (part.length() > 3 || Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("invalid host address " + host
              + " (each part of an IPv4 address is 0 to 255)" + hint);
        }
      }
      return;
    }
    try {
      java.net.InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(
          "invalid host address " + host + " (it does not resolve)" + hint, e);
    }
  }

  /** Returns the base URI, with the port actually bound. */
  public URI uri() {
    return URI.create("http://" + hostForUri(connector.getHost()) + ":"
        + connector.getLocalPort());
  }

  public Reloader reloader() {
    return reloader;
  }

  public ServiceMetrics metrics() {
    return metrics;
  }

  /** Registers the SIGHUP handler that reloads the model file; false where unsupported. */
  public boolean reloadOnSighup() {
    return reloader.handleSighup();
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops accepting connections, waits up to 5 s for requests in progress, then stops the
   * inspection threads and closes the model.
   */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      inspections.close();
      models.close();
      log.info("flawmap serve stopped");
    }
  }

  private static String hostForUri(String host) {
    if (host == null) {
      return "0.0.0.0";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
