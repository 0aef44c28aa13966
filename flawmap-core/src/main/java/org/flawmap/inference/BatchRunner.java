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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.flawmap.backbone.FeatureCache;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;

/**
 * Runs items through decoding, {@link InputGeometry#toInputs} and the backbone in batches. Three
 * stages overlap: decode threads prepare the next items, the calling thread runs the backbone
 * on the current batch, and a scoring thread hands the previous batch to the sink. Results come
 * back in input order, one batch at a time, always on that scoring thread.
 *
 * <p>An image gives one backbone input in the resize and keep-aspect modes and one per tile in
 * tile mode. {@link #runImages} delivers every input's features of an image together, in all
 * modes; {@link #run} delivers one feature set per image and so rejects tile mode.
 *
 * <p>Items whose loader returns an empty result (a file skipped by policy) are left out; the
 * loader is responsible for recording them.
 */
public final class BatchRunner implements AutoCloseable {

  /** Receives each loaded item with its backbone features; single-input modes only. */
  @FunctionalInterface
  public interface Sink<L> {
    void accept(L loaded, FeatureMap[] features) throws Exception;
  }

  /**
   * Receives each loaded item with the features of all its backbone inputs, in {@link
   * InputGeometry#toInputs} order: one entry per tile in tile mode, a single entry otherwise.
   */
  @FunctionalInterface
  public interface ImageSink<L> {
    void accept(L loaded, List<FeatureMap[]> inputFeatures) throws Exception;
  }

  /**
   * Receives a batch of loaded items with the features of all their inputs, so that a model can
   * score them in one {@link org.flawmap.model.AnomalyModel#scoreBatch} call.
   */
  @FunctionalInterface
  public interface BatchSink<L> {
    /**
     * @param loaded the batch's items, in input order
     * @param inputFeatures per item, the features of its inputs as {@link ImageSink} gets them
     */
    void accept(List<L> loaded, List<List<FeatureMap[]>> inputFeatures) throws Exception;
  }

  /** Loads one item: decodes its image and whatever else goes with it. */
  @FunctionalInterface
  public interface Loader<T, L> {
    Optional<L> load(T item) throws Exception;
  }

  /**
   * A loaded item with its backbone inputs, or with its cached features; nothing for a skipped
   * item.
   */
  private record Decoded<L>(L loaded, List<float[]> inputs, List<FeatureMap[]> cached) {

    int inputCount() {
      return cached != null ? 0 : inputs.size();
    }
  }

  /**
   * Maximum number of batches handed to the scoring thread and not yet through the sink. Two
   * let the backbone start a batch while the scorer finishes one and has the next waiting.
   */
  static final int SCORING_QUEUE = 2;

  private final FeatureExtractor extractor;
  private final int batchSize;
  private final ExecutorService decoders;
  private final ExecutorService scorer;
  private final InputGeometry geometry;

  /** Runs with {@link InputMode#RESIZE}, the geometry of models without a recorded mode. */
  public BatchRunner(FeatureExtractor extractor, int batchSize, int decodeThreads) {
    this(extractor, batchSize, decodeThreads, InputSettings.RESIZE);
  }

  /** Runs with the geometry of {@code mode}, with default tile settings in tile mode. */
  public BatchRunner(
      FeatureExtractor extractor, int batchSize, int decodeThreads, InputMode mode) {
    this(extractor, batchSize, decodeThreads, InputSettings.of(mode));
  }

  /**
   * Runs with the geometry of {@code settings} at the extractor's input size.
   *
   * @param batchSize backbone inputs per backbone call, which are images outside tile mode
   */
  public BatchRunner(
      FeatureExtractor extractor, int batchSize, int decodeThreads, InputSettings settings) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    this.extractor = extractor;
    this.geometry = InputGeometry.of(settings, extractor.info());
    this.batchSize = batchSize;
    this.decoders =
        Executors.newFixedThreadPool(
            Math.max(1, decodeThreads),
            r -> {
              Thread t = new Thread(r, "flawmap-decode");
              t.setDaemon(true);
              return t;
            });
    this.scorer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "flawmap-score");
              t.setDaemon(true);
              return t;
            });
  }

  public InputSettings settings() {
    return geometry.settings();
  }

  /**
   * Processes every item in a single-input mode. An error while loading one item is thrown from
   * here, as the loader raised it, after the items before it were delivered.
   *
   * @throws IllegalStateException in tile mode; use {@link #runImages} there
   */
  public <T, L> void run(
      List<T> items, Loader<T, L> loader, Function<L, RgbImage> imageOf, Sink<L> sink)
      throws Exception {
    run(items, loader, imageOf, null, null, sink);
  }

  /**
   * Processes every item in a single-input mode, taking features from {@code cache} where it
   * has them and storing the features it computes.
   *
   * @param keyOf the cache key of a loaded item, for example its sample id
   * @param cache feature cache, or null for none
   * @throws IllegalStateException in tile mode; use {@link #runImages} there
   */
  public <T, L> void run(
      List<T> items,
      Loader<T, L> loader,
      Function<L, RgbImage> imageOf,
      Function<L, String> keyOf,
      FeatureCache cache,
      Sink<L> sink)
      throws Exception {
    if (geometry.settings().tiled()) {
      throw new IllegalStateException(
          "tile mode gives several feature sets per image; call runImages, which works in"
              + " every mode");
    }
    runImages(items, loader, imageOf, keyOf, cache, (loaded, f) -> sink.accept(loaded, f.get(0)));
  }

  /** Processes every item in any mode, as {@link #runImages(List, Loader, Function, Function,
   * FeatureCache, ImageSink)} without a cache. */
  public <T, L> void runImages(
      List<T> items, Loader<T, L> loader, Function<L, RgbImage> imageOf, ImageSink<L> sink)
      throws Exception {
    runImages(items, loader, imageOf, null, null, sink);
  }

  /**
   * Processes every item in any mode, taking features from {@code cache} where it has them
   * and storing the features it computes. An error while loading one item is thrown from here,
   * as the loader raised it, after the items before it were delivered.
   *
   * <p>Cache keys are the item's key in resize mode, as before the other modes existed, and
   * the key with the {@link InputSettings#label} and the input's index otherwise, so features
   * of different modes or tile settings never collide in one cache.
   *
   * @param keyOf the cache key of a loaded item, for example its sample id
   * @param cache feature cache, or null for none
   */
  public <T, L> void runImages(
      List<T> items,
      Loader<T, L> loader,
      Function<L, RgbImage> imageOf,
      Function<L, String> keyOf,
      FeatureCache cache,
      ImageSink<L> sink)
      throws Exception {
    runBatches(items, loader, imageOf, keyOf, cache, (loaded, features) -> {
      for (int i = 0; i < loaded.size(); i++) {
        sink.accept(loaded.get(i), features.get(i));
      }
    });
  }

  /** Processes every item in any mode, a batch per sink call, without a cache. */
  public <T, L> void runBatches(
      List<T> items, Loader<T, L> loader, Function<L, RgbImage> imageOf, BatchSink<L> sink)
      throws Exception {
    runBatches(items, loader, imageOf, null, null, sink);
  }

  /**
   * Processes every item in any mode and hands each batch to {@code sink} on the scoring
   * thread while the backbone works on the next batch. At most {@value #SCORING_QUEUE} batches
   * wait for or are in the sink, so a slow sink slows the backbone down rather than filling
   * memory. An error
   * while loading one item is thrown from here, as the loader raised it, after the items
   * before it were delivered; an error of the sink is thrown as the sink raised it, and the
   * items after its batch are not delivered.
   *
   * <p>Cache keys are as in {@link #runImages(List, Loader, Function, Function, FeatureCache,
   * ImageSink)}.
   */
  public <T, L> void runBatches(
      List<T> items,
      Loader<T, L> loader,
      Function<L, RgbImage> imageOf,
      Function<L, String> keyOf,
      FeatureCache cache,
      BatchSink<L> sink)
      throws Exception {
    Deque<Future<Decoded<L>>> pending = new ArrayDeque<>();
    Deque<Future<?>> scoring = new ArrayDeque<>();
    AtomicBoolean sinkFailed = new AtomicBoolean();
    int next = 0;
    int lookahead = 2 * batchSize;
    try {
      while (next < items.size() || !pending.isEmpty()) {
        while (next < items.size() && pending.size() < lookahead) {
          T item = items.get(next++);
          pending.add(decoders.submit(() -> decodeOne(item, loader, imageOf, keyOf, cache)));
        }
        List<Decoded<L>> batch = new ArrayList<>(batchSize);
        int inputs = 0;
        while (batch.size() < batchSize && inputs < batchSize && !pending.isEmpty()) {
          Decoded<L> d = await(pending.poll());
          if (d.loaded() != null) {
            batch.add(d);
            inputs += d.inputCount();
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        Delivery<L> delivery = features(batch, keyOf, cache);
        while (scoring.size() >= SCORING_QUEUE) {
          await(scoring.poll());
        }
        scoring.add(scorer.submit(() -> {
          // A batch queued behind one whose sink failed is dropped, not delivered.
          if (sinkFailed.get()) {
            return null;
          }
          try {
            sink.accept(delivery.loaded(), delivery.features());
          } catch (Exception | Error e) {
            sinkFailed.set(true);
            throw e;
          }
          return null;
        }));
      }
    } catch (Exception | Error e) {
      // Deliver the batches already handed over before reporting the loader's error.
      while (!scoring.isEmpty()) {
        try {
          await(scoring.poll());
        } catch (Exception | Error sinkError) {
          e.addSuppressed(sinkError);
        }
      }
      throw e;
    }
    while (!scoring.isEmpty()) {
      await(scoring.poll());
    }
  }

  /** A batch ready for the sink. */
  private record Delivery<L>(List<L> loaded, List<List<FeatureMap[]>> features) {}

  /** Runs the backbone on a batch, or takes its cached features, and stores what it computed. */
  private <L> Delivery<L> features(
      List<Decoded<L>> batch, Function<L, String> keyOf, FeatureCache cache) {
    List<float[]> inputs = new ArrayList<>();
    for (Decoded<L> d : batch) {
      if (d.cached() == null) {
        inputs.addAll(d.inputs());
      }
    }
    List<FeatureMap[]> computed = extract(inputs);

    List<L> loaded = new ArrayList<>(batch.size());
    List<List<FeatureMap[]>> features = new ArrayList<>(batch.size());
    int c = 0;
    for (Decoded<L> d : batch) {
      List<FeatureMap[]> f = d.cached();
      if (f == null) {
        f = computed.subList(c, c + d.inputs().size());
        c += d.inputs().size();
        if (cache != null) {
          String key = keyOf.apply(d.loaded());
          for (int i = 0; i < f.size(); i++) {
            cache.put(cacheKey(key, i), f.get(i));
          }
        }
      }
      loaded.add(d.loaded());
      features.add(List.copyOf(f));
    }
    return new Delivery<>(List.copyOf(loaded), List.copyOf(features));
  }

  /** Runs the backbone on at most {@code batchSize} inputs a call. */
  private List<FeatureMap[]> extract(List<float[]> inputs) {
    List<FeatureMap[]> out = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += batchSize) {
      out.addAll(extractor.extract(inputs.subList(from, Math.min(inputs.size(),
          from + batchSize))));
    }
    return out;
  }

  private String cacheKey(String key, int input) {
    if (geometry.mode() == InputMode.RESIZE) {
      return key;
    }
    return key + "\n" + geometry.settings().label() + "\n" + input;
  }

  private <T, L> Decoded<L> decodeOne(
      T item,
      Loader<T, L> loader,
      Function<L, RgbImage> imageOf,
      Function<L, String> keyOf,
      FeatureCache cache)
      throws Exception {
    Optional<L> loaded = loader.load(item);
    if (loaded.isEmpty()) {
      return new Decoded<>(null, null, null);
    }
    RgbImage image = imageOf.apply(loaded.get());
    if (cache != null) {
      List<FeatureMap[]> cached = cached(cache, keyOf.apply(loaded.get()), image);
      if (cached != null) {
        return new Decoded<>(loaded.get(), null, cached);
      }
    }
    return new Decoded<>(loaded.get(), geometry.toInputs(image), null);
  }

  /** Returns the cached features of every input of an image, or null unless all are stored. */
  private List<FeatureMap[]> cached(FeatureCache cache, String key, RgbImage image) {
    int count =
        geometry.settings().tiled() ? geometry.tiles(image.width(), image.height()).count() : 1;
    List<FeatureMap[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      FeatureMap[] features = cache.get(cacheKey(key, i));
      if (features == null) {
        return null;
      }
      out.add(features);
    }
    return out;
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
    scorer.shutdownNow();
  }
}
