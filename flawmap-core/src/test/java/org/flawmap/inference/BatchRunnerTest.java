package org.flawmap.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.testing.LocalStatsExtractor;
import org.junit.jupiter.api.Test;

/** The three-stage loop of {@link BatchRunner}: order, batching, overlap and errors. */
class BatchRunnerTest {

  private static final RgbImage IMAGE = new RgbImage(8, 8, new byte[3 * 8 * 8]);

  /** Counts backbone calls and lets a test wait for the n-th one. */
  private static final class CountingExtractor implements FeatureExtractor {
    final LocalStatsExtractor inner = new LocalStatsExtractor();
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch secondCall = new CountDownLatch(2);

    @Override
    public BackboneInfo info() {
      return inner.info();
    }

    @Override
    public List<FeatureMap[]> extract(List<float[]> inputs) {
      calls.incrementAndGet();
      secondCall.countDown();
      return inner.extract(inputs);
    }

    @Override
    public void close() {}
  }

  private static List<Integer> items(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void batchesArriveInOrderOnTheScoringThread() throws Exception {
    CountingExtractor extractor = new CountingExtractor();
    List<Integer> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    try (BatchRunner runner = new BatchRunner(extractor, 4, 2)) {
      // Item 5 is skipped by its loader and must leave no gap in the batches.
      runner.runBatches(items(11), i -> i == 5 ? Optional.empty() : Optional.of(i),
          i -> IMAGE, (loaded, features) -> {
            seen.addAll(loaded);
            sizes.add(loaded.size());
            threads.add(Thread.currentThread().getName());
            assertEquals(loaded.size(), features.size());
          });
    }

    assertEquals(List.of(0, 1, 2, 3, 4, 6, 7, 8, 9, 10), seen);
    assertEquals(List.of(4, 4, 2), sizes);
    assertEquals(3, extractor.calls.get());
    assertTrue(threads.stream().allMatch("flawmap-score"::equals), threads.toString());
  }

  @Test
  void backboneOverlapsTheSink() throws Exception {
    CountingExtractor extractor = new CountingExtractor();
    List<Boolean> overlapped = new ArrayList<>();
    try (BatchRunner runner = new BatchRunner(extractor, 2, 1)) {
      runner.runBatches(items(6), Optional::of, i -> IMAGE, (loaded, features) -> {
        if (loaded.get(0) == 0) {
          // The first batch stays in its sink until the backbone has started on the second.
          overlapped.add(extractor.secondCall.await(30, TimeUnit.SECONDS));
        }
      });
    }

    assertEquals(List.of(true), overlapped);
  }

  @Test
  void loaderErrorAfterEarlierItems() throws Exception {
    List<Integer> seen = new ArrayList<>();
    IOException broken = new IOException("item 6 is broken");
    try (BatchRunner runner = new BatchRunner(new LocalStatsExtractor(), 3, 1)) {
      IOException e = assertThrows(IOException.class, () -> runner.runImages(items(9), i -> {
        if (i == 6) {
          throw broken;
        }
        return Optional.of(i);
      }, i -> IMAGE, (loaded, features) -> seen.add(loaded)));
      assertSame(broken, e);
    }

    assertEquals(List.of(0, 1, 2, 3, 4, 5), seen);
  }

  @Test
  void sinkErrorStopsTheRun() throws Exception {
    List<Integer> seen = new ArrayList<>();
    try (BatchRunner runner = new BatchRunner(new LocalStatsExtractor(), 2, 1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> runner.runBatches(items(20), Optional::of, i -> IMAGE, (loaded, features) -> {
            seen.addAll(loaded);
            if (loaded.contains(2)) {
              throw new IllegalStateException("sink failed at item 2");
            }
          }));
      assertEquals("sink failed at item 2", e.getMessage());
    }

    // Batches after the failing one may have gone through the backbone and waited in the
    // queue, but they never reach the sink.
    assertEquals(List.of(0, 1, 2, 3), seen);
  }

  @Test
  void slowSinkBoundsTheBackbone() throws Exception {
    CountingExtractor extractor = new CountingExtractor();
    CountDownLatch release = new CountDownLatch(1);
    Thread run;
    try (BatchRunner runner = new BatchRunner(extractor, 1, 1)) {
      run = new Thread(() -> {
        try {
          runner.runBatches(items(10), Optional::of, i -> IMAGE, (loaded, features) -> {
            if (loaded.get(0) == 0) {
              release.await(30, TimeUnit.SECONDS);
            }
          });
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      run.start();

      // Batch 0 is in the sink and batch 1 waits in the queue. The backbone may compute
      // batch 2, and then it has to wait.
      int expected = BatchRunner.SCORING_QUEUE + 1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (extractor.calls.get() < expected && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(200);
      assertEquals(expected, extractor.calls.get());

      release.countDown();
      run.join(30_000);
    }

    assertEquals(10, extractor.calls.get());
  }
}
