package org.flawmap.model.patchcore;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.model.ModelFitter;
import org.flawmap.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link PatchcoreModel}: collects the training patches, then keeps a greedy coreset of
 * them as the memory bank.
 *
 * <p>Collection is a seeded reservoir sample (Vitter's algorithm R) of at most
 * {@code maxCandidates} patches, uniform over all training patches whatever their number, so
 * memory and coreset time stay bounded. The bank contains
 * {@code min(maxBank, candidates, round(coresetRatio × training patches))} patches, at least
 * one, chosen by {@link CoresetSampler} on a random projection to {@code projectionDimension}
 * (Roth et al. 2022 select on a Johnson–Lindenstrauss projection to 128 dimensions for speed).
 *
 * <p>Not thread-safe: call {@link #add} from one thread. {@link #fit} uses all cores.
 */
public final class PatchcoreFitter implements ModelFitter {

  private static final Logger log = LoggerFactory.getLogger(PatchcoreFitter.class);

  private final BackboneInfo backbone;
  private final PatchcoreOptions options;
  private final PatchFeatures features;
  private final int d;
  private final SplittableRandom reservoirRandom;
  private final SplittableRandom selectionRandom;
  /** Candidate patches, dimension-major: {@code candidates[j][slot]}. */
  private float[][] candidates;
  private int capacity;
  private long seen;
  private int images;

  public PatchcoreFitter(BackboneInfo backbone, PatchcoreOptions options) {
    this.backbone = backbone;
    this.options = options;
    this.features = new PatchFeatures(backbone, options.stages(), options.featureDimension());
    this.d = features.dimension();
    SplittableRandom root = new SplittableRandom(options.seed());
    this.reservoirRandom = root.split();
    this.selectionRandom = root.split();

    long bytes = requiredBytes(options.maxCandidates(), d, options.projectionDimension());
    long free = availableHeapBytes();
    log.info(
        "PatchCore: {} × {} patches of {} channels ({} before pooling) per image; up to {}"
            + " candidate patches need about {} MiB of heap, {} MiB available",
        features.width(), features.height(), d, features.concatenatedChannels(),
        options.maxCandidates(), bytes >> 20, free >> 20);
    if (bytes > free) {
      throw new IllegalStateException(
          ("PatchCore needs about %d MiB of heap for %d candidate patches × %d channels but only"
                  + " %d MiB is available; raise the heap (for example FLAWMAP_JAVA_OPTS=-Xmx%dg)"
                  + " or lower --patchcore-max-candidates")
              .formatted(bytes >> 20, options.maxCandidates(), d, free >> 20,
                  (bytes >> 30) + 2));
    }
    this.capacity = (int) Math.min(options.maxCandidates(), 16L * features.positions());
    this.candidates = new float[d][capacity];
  }

  /** Estimates the heap of fitting: candidates, their projection and two scratch rows. */
  public static long requiredBytes(int maxCandidates, int d, int projectionDimension) {
    long projected = projectionDimension < d ? projectionDimension : 0;
    long perCandidate = d + projected + 2L;
    return maxCandidates * perCandidate * Float.BYTES;
  }

  private static long availableHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  @Override
  public String type() {
    return PatchcoreModel.TYPE;
  }

  @Override
  public int count() {
    return images;
  }

  /** Returns the number of training patches seen so far. */
  public long patchesSeen() {
    return seen;
  }

  @Override
  public void add(FeatureMap[] stageMaps) {
    float[] patches = features.extract(stageMaps);
    int max = options.maxCandidates();
    for (int p = 0; p < features.positions(); p++) {
      long slot = seen < max ? seen : reservoirRandom.nextLong(seen + 1);
      seen++;
      if (slot >= max) {
        continue;
      }
      int s = (int) slot;
      if (s >= capacity) {
        grow();
      }
      int base = p * d;
      for (int j = 0; j < d; j++) {
        candidates[j][s] = patches[base + j];
      }
    }
    images++;
  }

  private void grow() {
    capacity = (int) Math.min(options.maxCandidates(), 2L * capacity);
    for (int j = 0; j < d; j++) {
      candidates[j] = Arrays.copyOf(candidates[j], capacity);
    }
  }

  /** Returns the memory bank size for these options, as the class comment defines it. */
  static int bankSize(PatchcoreOptions options, long trainingPatches, int candidateCount) {
    long byRatio = Math.max(1, Math.round(options.coresetRatio() * trainingPatches));
    return (int) Math.min(Math.min(options.maxBank(), candidateCount), byRatio);
  }

  @Override
  public PatchcoreModel fit() {
    if (images < 1) {
      throw new IllegalStateException("PatchCore needs at least 1 training image, found 0");
    }

    int n = (int) Math.min(seen, options.maxCandidates());
    int k = bankSize(options, seen, n);
    if ((long) k * d > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "a memory bank of %d patches × %d channels exceeds one Java array; lower"
              .formatted(k, d) + " --patchcore-max-bank or --patchcore-dimension");
    }

    long start = System.nanoTime();
    float[][] points = candidates;
    if (options.projectionDimension() < d) {
      points = CoresetSampler.project(candidates, n, options.projectionDimension(),
          selectionRandom.nextLong());
    }
    int[] chosen;
    try (Progress progress = new Progress("coreset", k, "patches")) {
      chosen = CoresetSampler.select(points, n, k, selectionRandom.nextInt(n), progress);
    }

    float[] bank = new float[k * d];
    for (int m = 0; m < k; m++) {
      for (int j = 0; j < d; j++) {
        bank[m * d + j] = candidates[j][chosen[m]];
      }
    }

    log.info(
        "PatchCore: memory bank of {} patches from {} candidates ({} training patches of {}"
            + " images), selected on {} dimensions in {} s; the bank takes {} MiB",
        k, n, seen, images, Math.min(options.projectionDimension(), d),
        "%.1f".formatted((System.nanoTime() - start) / 1e9), ((long) k * d * 4) >> 20);
    return new PatchcoreModel(backbone, options, bank, images, seen);
  }
}
