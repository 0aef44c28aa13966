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
import org.flawmap.backbone.FeatureCache;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;

/**
 * Runs items through decoding, {@link InputGeometry#toInput} and the backbone in batches, with
 * decoding of the next items overlapping the backbone's work on the current batch. Results come
 * back in input order.
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

  /**
   * A loaded item with its resized input, or with its cached features; nothing for a skipped
   * item.
   */
  private record Decoded<L>(L loaded, float[] input, FeatureMap[] cached) {}

  private final FeatureExtractor extractor;
  private final int batchSize;
  private final ExecutorService decoders;
  private final InputGeometry geometry;

  /** Runs with {@link InputMode#RESIZE}, the geometry of models without a recorded mode. */
  public BatchRunner(FeatureExtractor extractor, int batchSize, int decodeThreads) {
    this(extractor, batchSize, decodeThreads, InputMode.RESIZE);
  }

  /** Runs with the geometry of {@code mode} at the extractor's input size. */
  public BatchRunner(
      FeatureExtractor extractor, int batchSize, int decodeThreads, InputMode mode) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    this.extractor = extractor;
    this.geometry = InputGeometry.of(mode, extractor.info());
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
    run(items, loader, imageOf, null, null, sink);
  }

  /**
   * Processes every item, taking features from {@code cache} where it has them and storing the
   * features it computes.
   *
   * @param keyOf the cache key of a loaded item, for example its sample id
   * @param cache feature cache, or null for none
   */
  public <T, L> void run(
      List<T> items,
      Loader<T, L> loader,
      Function<L, RgbImage> imageOf,
      Function<L, String> keyOf,
      FeatureCache cache,
      Sink<L> sink)
      throws Exception {
    Deque<Future<Decoded<L>>> pending = new ArrayDeque<>();
    int next = 0;
    int lookahead = 2 * batchSize;
    while (next < items.size() || !pending.isEmpty()) {
      while (next < items.size() && pending.size() < lookahead) {
        T item = items.get(next++);
        pending.add(
            decoders.submit(() -> decodeOne(item, loader, imageOf, keyOf, cache, geometry)));
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
      List<float[]> inputs =
          batch.stream().filter(d -> d.cached() == null).map(Decoded::input).toList();
      List<FeatureMap[]> computed = inputs.isEmpty() ? List.of() : extractor.extract(inputs);
      int c = 0;
      for (Decoded<L> d : batch) {
        FeatureMap[] features = d.cached();
        if (features == null) {
          features = computed.get(c++);
          if (cache != null) {
            cache.put(keyOf.apply(d.loaded()), features);
          }
        }
        sink.accept(d.loaded(), features);
      }
    }
  }

  private static <T, L> Decoded<L> decodeOne(
      T item,
      Loader<T, L> loader,
      Function<L, RgbImage> imageOf,
      Function<L, String> keyOf,
      FeatureCache cache,
      InputGeometry geometry)
      throws Exception {
    Optional<L> loaded = loader.load(item);
    if (loaded.isEmpty()) {
      return new Decoded<>(null, null, null);
    }
    if (cache != null) {
      FeatureMap[] cached = cache.get(keyOf.apply(loaded.get()));
      if (cached != null) {
        return new Decoded<>(loaded.get(), null, cached);
      }
    }
    RgbImage image = imageOf.apply(loaded.get());
    float[] input = geometry.toInput(image);
    return new Decoded<>(loaded.get(), input, null);
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
