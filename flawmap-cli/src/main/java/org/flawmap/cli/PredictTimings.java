package org.flawmap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.flawmap.inference.TimedFeatureExtractor;
import org.flawmap.report.BackgroundWriter;

/**
 * Time and memory figures of one {@code predict} run, for {@code timings.json}.
 *
 * <p>Stages run on different threads at once, so their times add up to more than the wall
 * time. Each stage's figure is the time its own threads spent in it, per predicted image:
 * decoding and resizing as CPU time of the decode threads (wall time would count the waits
 * for a core when backbone threads hold them), the backbone as wall time in
 * {@code FeatureExtractor.extract}, scoring (model, map resize, threshold) as wall time in
 * {@code Inspector.inspect} and the predicted mask, writing as wall time of the writer tasks.
 */
final class PredictTimings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final long createdNanos = System.nanoTime();
  private long startNanos = createdNanos;
  private final LongAdder decodeWallNanos = new LongAdder();
  private final LongAdder scoringNanos = new LongAdder();
  private final List<Long> latencies = new ArrayList<>();

  /**
   * Starts the wall clock of the image loop, after the model file and the backbone are
   * loaded: that fixed cost is reported on its own as {@code setup_seconds}, so that the
   * figures per image do not depend on how many images a run has.
   */
  synchronized void startLoop() {
    startNanos = System.nanoTime();
  }

  void addDecode(long nanos) {
    decodeWallNanos.add(nanos);
  }

  void addScoring(long nanos) {
    scoringNanos.add(nanos);
  }

  /** Records an image's latency: from the start of its decoding to its journal record. */
  synchronized void addLatency(long nanos) {
    latencies.add(nanos);
  }

  /**
   * Returns the figures as JSON.
   *
   * @param decodeCpuNanos CPU time of the decode threads, see {@link #cpuNanosOfThreads}
   */
  synchronized ObjectNode toJson(
      TimedFeatureExtractor backbone, BackgroundWriter writer, long decodeCpuNanos) {
    long wallNanos = System.nanoTime() - startNanos;
    int images = latencies.size();
    ObjectNode json = JSON.createObjectNode();
    json.put("images", images);
    json.put("backbone_batches", backbone.calls());
    json.put("setup_seconds", (startNanos - createdNanos) / 1e9);
    json.put("wall_seconds", wallNanos / 1e9);
    json.put("images_per_second", images == 0 ? 0 : images / (wallNanos / 1e9));

    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    ObjectNode latency = json.putObject("latency_ms");
    latency.put("mean", Arrays.stream(sorted).average().orElse(0) / 1e6);
    latency.put("p50", percentile(sorted, 0.50) / 1e6);
    latency.put("p95", percentile(sorted, 0.95) / 1e6);
    latency.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);

    double[] stages = {decodeCpuNanos, backbone.nanos(), scoringNanos.sum(), writer.busyNanos()};
    String[] names = {"decode", "backbone", "scoring", "writing"};
    double total = Arrays.stream(stages).sum();
    ObjectNode perImage = json.putObject("stage_ms_per_image");
    ObjectNode share = json.putObject("stage_share");
    for (int s = 0; s < names.length; s++) {
      perImage.put(names[s], images == 0 ? 0 : stages[s] / images / 1e6);
      share.put(names[s], total == 0 ? 0 : stages[s] / total);
    }
    json.put("decode_wall_ms_per_image", images == 0 ? 0 : decodeWallNanos.sum() / images / 1e6);
    json.put("backbone_share_of_wall", wallNanos == 0 ? 0 : backbone.nanos() / (double) wallNanos);
    json.put("writer_max_in_flight", writer.maxInFlight());

    ObjectNode memory = json.putObject("memory_bytes");
    memory.put("peak_rss", peakRssBytes());
    memory.put("peak_heap", peakHeapBytes());
    memory.put("max_heap", Runtime.getRuntime().maxMemory());
    return json;
  }

  /** Returns a one-paragraph summary of {@link #toJson}'s figures for the console. */
  static String describe(ObjectNode json) {
    var latency = json.path("latency_ms");
    var perImage = json.path("stage_ms_per_image");
    var share = json.path("stage_share");
    StringBuilder text = new StringBuilder();
    text.append("timings: %d images in %.1f s, %.1f images/s; latency ms mean %.1f, p50 %.1f,"
        .formatted(json.path("images").asInt(), json.path("wall_seconds").asDouble(),
            json.path("images_per_second").asDouble(), latency.path("mean").asDouble(),
            latency.path("p50").asDouble()));
    text.append(" p95 %.1f%n".formatted(latency.path("p95").asDouble()));
    text.append("timings: ms per image (share of the stage total):");
    for (String stage : List.of("decode", "backbone", "scoring", "writing")) {
      text.append(" %s %.2f (%.0f%%)".formatted(
          stage, perImage.path(stage).asDouble(), 100 * share.path(stage).asDouble()));
    }
    text.append("%ntimings: backbone %.0f%% of wall time; peak RSS %d MB, peak heap %d MB"
        .formatted(100 * json.path("backbone_share_of_wall").asDouble(),
            json.path("memory_bytes").path("peak_rss").asLong() >> 20,
            json.path("memory_bytes").path("peak_heap").asLong() >> 20));
    return text.toString();
  }

  /** Returns the nearest-rank percentile of sorted values, 0 for none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Returns the summed CPU time of the live threads with this name, in ns. */
  static long cpuNanosOfThreads(String name) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeSupported()) {
      return -1;
    }
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && name.equals(info.getThreadName())) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  /**
   * Returns the peak resident set size of this process (VmHWM in /proc/self/status, Linux),
   * or -1 where that file is missing.
   */
  static long peakRssBytes() {
    Path status = Path.of("/proc/self/status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          String kilobytes = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kilobytes) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Returns the sum of the heap pools' peak usage. Pools peak at different times, so this is
   * an upper bound of the heap's peak.
   */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
