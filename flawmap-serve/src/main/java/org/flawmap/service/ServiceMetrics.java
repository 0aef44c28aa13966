package org.flawmap.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The service's Prometheus metrics, in a registry of its own so that two servers in one JVM (as
 * in tests) do not share counts. Names start with {@code flawmap_serve_}.
 */
public final class ServiceMetrics {

  /** Latency buckets in seconds, from a cache-warm small image to a slow upload. */
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram latency;
  private final Counter errors;
  private final Gauge inFlight;
  private final Counter reloads;
  private final Counter imagesInspected;

  public ServiceMetrics() {
    requests = Counter.builder()
        .name("flawmap_serve_requests_total")
        .help("HTTP requests answered, by endpoint and status code")
        .labelNames("endpoint", "status")
        .register(registry);
    latency = Histogram.builder()
        .name("flawmap_serve_request_duration_seconds")
        .help("Time from the start of a request to its response, in seconds, by endpoint")
        .labelNames("endpoint")
        .classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS)
        .register(registry);
    errors = Counter.builder()
        .name("flawmap_serve_errors_total")
        .help("Requests answered with an error, by error code (the JSON error field)")
        .labelNames("kind")
        .register(registry);
    inFlight = Gauge.builder()
        .name("flawmap_serve_in_flight_requests")
        .help("Requests being handled now")
        .register(registry);
    reloads = Counter.builder()
        .name("flawmap_serve_model_reloads_total")
        .help("Model reloads, by result (success or failure)")
        .labelNames("result")
        .register(registry);
    imagesInspected = Counter.builder()
        .name("flawmap_serve_images_inspected_total")
        .help("Images inspected, by label (anomalous or normal)")
        .labelNames("label")
        .register(registry);
    // Known label values start at 0, so that a rate over them exists before the first event.
    reloads.labelValues("success");
    reloads.labelValues("failure");
    imagesInspected.labelValues("anomalous");
    imagesInspected.labelValues("normal");
    GaugeWithCallback.builder()
        .name("flawmap_serve_jvm_heap_used_bytes")
        .help("Java heap in use, in bytes")
        .callback(cb -> cb.call(heapUsed()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flawmap_serve_process_resident_bytes")
        .help("Resident set size of the process, in bytes (Linux only; -1 elsewhere)")
        .callback(cb -> cb.call(residentBytes()))
        .register(registry);
  }

  void requestStarted() {
    inFlight.inc();
  }

  /** Records a finished request; {@code endpoint} is a fixed route name, never the raw path. */
  void requestFinished(String endpoint, int status, long nanos) {
    inFlight.dec();
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    latency.labelValues(endpoint).observe(nanos / 1e9);
  }

  void error(String code) {
    errors.labelValues(code).inc();
  }

  /**
   * Records a request rejected before it was handled, and so never counted as in flight: its
   * response status and its error code. It has no latency, because its start was not seen.
   */
  void rejected(String endpoint, int status, String code) {
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    errors.labelValues(code).inc();
  }

  void reload(boolean success) {
    reloads.labelValues(success ? "success" : "failure").inc();
  }

  void inspected(boolean anomalous) {
    imagesInspected.labelValues(anomalous ? "anomalous" : "normal").inc();
  }

  /** Returns every metric in the Prometheus text format, version 0.0.4. */
  public byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toByteArray();
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  private static double heapUsed() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Reads VmRSS from /proc/self/status, which Linux reports in kB. */
  static double residentBytes() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          String kilobytes = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kilobytes) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
