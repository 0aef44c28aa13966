package org.flawmap.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.BatchRunner;
import org.flawmap.testing.LocalStatsExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

  @TempDir Path tmp;

  /** Counts the images the wrapped extractor really computes. */
  static final class CountingExtractor implements FeatureExtractor {
    final LocalStatsExtractor inner = new LocalStatsExtractor();
    final AtomicInteger images = new AtomicInteger();

    @Override
    public BackboneInfo info() {
      return inner.info();
    }

    @Override
    public List<FeatureMap[]> extract(List<float[]> inputs) {
      images.addAndGet(inputs.size());
      return inner.extract(inputs);
    }

    @Override
    public void close() {}
  }

  private static RgbImage image(int seed) {
    byte[] rgb = new byte[3 * 64 * 64];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) ((i * 31 + seed * 17) % 251);
    }
    return new RgbImage(64, 64, rgb);
  }

  @Test
  void putThenGetReturnsSameFeatures() throws Exception {
    CountingExtractor extractor = new CountingExtractor();
    FeatureCache cache = new FeatureCache(tmp.resolve("cache"), extractor.info());
    float[] input = org.flawmap.image.Resizer.toInput(image(1), 64, 64, new float[3],
        new float[] {1, 1, 1});
    FeatureMap[] features = extractor.extract(List.of(input)).get(0);
    assertNull(cache.get("a.png"));
    cache.put("a.png", features);
    FeatureMap[] back = cache.get("a.png");
    assertEquals(features.length, back.length);
    for (int s = 0; s < features.length; s++) {
      assertArrayEquals(features[s].data(), back[s].data());
      assertEquals(features[s].stride(), back[s].stride());
    }
  }

  @Test
  void secondRunTakesEveryImageFromCache() throws Exception {
    CountingExtractor extractor = new CountingExtractor();
    FeatureCache cache = new FeatureCache(tmp.resolve("run"), extractor.info());
    List<Integer> items = List.of(0, 1, 2, 3, 4);
    List<List<Float>> firstValues = new ArrayList<>();
    List<List<Float>> secondValues = new ArrayList<>();
    for (List<List<Float>> target : List.of(firstValues, secondValues)) {
      try (BatchRunner runner = new BatchRunner(extractor, 2, 2)) {
        runner.run(items, i -> Optional.of(i), i -> image(i), i -> "img" + i, cache,
            (i, f) -> target.add(List.of(f[0].data()[0], f[1].data()[5])));
      }
    }
    assertEquals(5, extractor.images.get(), "the second run must not call the backbone");
    assertEquals(firstValues, secondValues);
  }
}
