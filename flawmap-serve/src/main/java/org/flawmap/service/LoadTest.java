package org.flawmap.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A load generator for {@code flawmap serve}, bounded in request count and in time, that sends
 * the images of a folder to {@code /v1/inspect} from several client threads and prints
 * throughput, latency percentiles of the 200 responses, responses by status, and the server's
 * heap and resident memory sampled from {@code /metrics}. Only loopback URLs are accepted.
 *
 * <p>Usage: {@code LoadTest URL IMAGE_FOLDER CLIENTS MAX_REQUESTS MAX_SECONDS}.
 */
public final class LoadTest {

  private LoadTest() {}

  /** One memory sample of the server, in bytes. */
  private record Sample(double seconds, double heapBytes, double residentBytes) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: LoadTest URL IMAGE_FOLDER CLIENTS MAX_REQUESTS MAX_SECONDS");
      System.exit(2);
    }
    URI base = URI.create(args[0]);
    if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException(base + " is not a loopback address; LoadTest only"
          + " targets a server on this machine, such as http://127.0.0.1:PORT");
    }
    List<Path> images = listImages(Path.of(args[1]));
    int clients = Integer.parseInt(args[2]);
    long maxRequests = Long.parseLong(args[3]);
    long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
    List<byte[]> bodies = new ArrayList<>();
    for (Path image : images) {
      bodies.add(Files.readAllBytes(image));
    }

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AtomicLong issued = new AtomicLong();
    long[] latencies = new long[(int) Math.min(maxRequests, 10_000_000)];
    AtomicLong completed = new AtomicLong();
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.submit(() -> {
        long n;
        while ((n = issued.getAndIncrement()) < maxRequests
            && System.nanoTime() - start < maxNanos) {
          byte[] body = bodies.get((int) (n % bodies.size()));
          String outcome = send(http, base, body, images.get((int) (n % bodies.size())),
              latencies, completed);
          outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }
        return null;
      });
    }
    pool.shutdown();
    while (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
      samples.add(sample(http, base, (System.nanoTime() - start) / 1e9));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    samples.add(sample(http, base, seconds));
    report(images.size(), clients, seconds, latencies, (int) completed.get(), outcomes, samples);
  }

  private static String send(HttpClient http, URI base, byte[] body, Path image,
      long[] latencies, AtomicLong completed) {
    String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
    String type = name.endsWith(".png") ? "image/png"
        : name.endsWith(".bmp") ? "image/bmp" : "image/jpeg";
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/inspect"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long elapsed = System.nanoTime() - t0;
      if (response.statusCode() == 200) {
        int index = (int) completed.getAndIncrement();
        if (index < latencies.length) {
          latencies[index] = elapsed;
        }
      }
      return Integer.toString(response.statusCode());
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static Sample sample(HttpClient http, URI base, double seconds) {
    double heap = -1;
    double resident = -1;
    try {
      String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith("flawmap_serve_jvm_heap_used_bytes ")) {
          heap = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        } else if (line.startsWith("flawmap_serve_process_resident_bytes ")) {
          resident = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("metrics sample failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Sample(seconds, heap, resident);
  }

  private static void report(int imageCount, int clients, double seconds, long[] latencies,
      int completed, Map<String, AtomicLong> outcomes, List<Sample> samples) {
    long[] sorted = Arrays.copyOf(latencies, Math.min(completed, latencies.length));
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "images %d, clients %d, duration %.1f s%n", imageCount,
        clients, seconds);
    long responses = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
    System.out.printf(Locale.ROOT,
        "responses %d (%.2f/s), of which 200 OK %d, throughput %.2f inspections/s%n",
        responses, responses / seconds, completed, completed / seconds);
    System.out.printf(Locale.ROOT,
        "latency of 200 responses, ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n",
        percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    System.out.println("outcomes (status or exception): " + new TreeMap<>(outcomes));
    double maxHeap = 0;
    double maxResident = 0;
    for (Sample s : samples) {
      maxHeap = Math.max(maxHeap, s.heapBytes());
      maxResident = Math.max(maxResident, s.residentBytes());
    }
    Sample last = samples.get(samples.size() - 1);
    System.out.printf(Locale.ROOT,
        "server memory MiB: heap max %.0f, last %.0f; resident max %.0f, last %.0f (%d samples)%n",
        maxHeap / (1 << 20), last.heapBytes() / (1 << 20), maxResident / (1 << 20),
        last.residentBytes() / (1 << 20), samples.size());
  }

  /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
  }

  private static List<Path> listImages(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      List<Path> images = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g|bmp)$"))
          .filter(p -> !p.toString().contains("ground_truth"))
          .sorted()
          .toList();
      if (images.isEmpty()) {
        throw new IllegalArgumentException("no PNG, JPEG or BMP image under " + folder);
      }
      return images;
    }
  }
}
