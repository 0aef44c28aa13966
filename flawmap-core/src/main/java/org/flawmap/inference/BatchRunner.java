package org.flawmap.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.image.Resizer;

/**
 * Runs items through decoding, resizing and the backbone in batches, with decoding of the next
 * items overlapping the backbone's work on the current batch. Results come back in input order.
 *
 * <p>Items whose loader returns an empty result (a file skipped by policy) are left out; the
 * loader is responsible for recording them.
 */
public final class BatchRunner implements AutoCloseable {

  /** Receives each loaded item with its backbone features. */
  @FunctionalInterface
  public interface Sink<L> {
    void accept(L loaded, FeatureMap[] features) throws Exception;
  }

  /** Loads one item: decodes its image and whatever else goes with it. */
  @FunctionalInterface
  public interface Loader<T, L> {
    Optional<L> load(T item) throws Exception;
  }

  /** A loaded item and its resized input, or nothing for a skipped item. */
  private record Decoded<L>(L loaded, float[] input) {}

  private final FeatureExtractor extractor;
  private final int batchSize;
  private final ExecutorService decoders;

  public BatchRunner(FeatureExtractor extractor, int batchSize, int decodeThreads) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    this.extractor = extractor;
    this.batchSize = batchSize;
    this.decoders =
        Executors.newFixedThreadPool(
            Math.max(1, decodeThreads),
            r -> {
              Thread t = new Thread(r, "flawmap-decode");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Processes every item. An error while loading one item is thrown from here, as the loader
   * raised it, after the items before it were delivered.
   */
  public <T, L> void run(
      List<T> items, Loader<T, L> loader, Function<L, RgbImage> imageOf, Sink<L> sink)
      throws Exception {
    BackboneInfo info = extractor.info();
    Deque<Future<Decoded<L>>> pending = new ArrayDeque<>();
    int next = 0;
    int lookahead = 2 * batchSize;
    while (next < items.size() || !pending.isEmpty()) {
      while (next < items.size() && pending.size() < lookahead) {
        T item = items.get(next++);
        pending.add(decoders.submit(() -> decodeOne(item, loader, imageOf, info)));
      }
      List<Decoded<L>> batch = new ArrayList<>(batchSize);
      while (batch.size() < batchSize && !pending.isEmpty()) {
        Decoded<L> d = await(pending.poll());
        if (d.loaded() != null) {
          batch.add(d);
        }
      }
      if (batch.isEmpty()) {
        continue;
      }
      List<float[]> inputs = batch.stream().map(Decoded::input).toList();
      List<FeatureMap[]> features = extractor.extract(inputs);
      for (int i = 0; i < batch.size(); i++) {
        sink.accept(batch.get(i).loaded(), features.get(i));
      }
    }
  }

  private static <T, L> Decoded<L> decodeOne(
      T item, Loader<T, L> loader, Function<L, RgbImage> imageOf, BackboneInfo info)
      throws Exception {
    Optional<L> loaded = loader.load(item);
    if (loaded.isEmpty()) {
      return new Decoded<>(null, null);
    }
    RgbImage image = imageOf.apply(loaded.get());
    float[] input =
        Resizer.toInput(image, info.inputWidth(), info.inputHeight(), info.mean(), info.std());
    return new Decoded<>(loaded.get(), input);
  }

  private static <V> V await(Future<V> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    decoders.shutdownNow();
  }
}
