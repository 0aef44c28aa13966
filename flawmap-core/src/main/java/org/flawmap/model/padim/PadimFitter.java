package org.flawmap.model.padim;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.flawmap.model.ModelFitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link PadimModel} in one streaming pass: each training image's embedding updates
 * running sums and cross-products per position, so memory does not grow with the number of
 * images. Sums are kept in double precision about a shift (the first image's embedding), which
 * avoids the cancellation of the textbook {@code E[xxᵀ] - μμᵀ} formula.
 *
 * <p>Not thread-safe: call {@link #add} from one thread. Each call uses all cores.
 */
public final class PadimFitter implements ModelFitter {

  private static final Logger log = LoggerFactory.getLogger(PadimFitter.class);

  private final BackboneInfo backbone;
  private final PadimOptions options;
  private final int[] channels;
  private final PadimEmbedding embedding;
  private final int positions;
  private final int d;
  private final int packed;
  private float[] shift;
  private final double[] sum;
  private final double[] cross;
  private int count;

  public PadimFitter(BackboneInfo backbone, PadimOptions options) {
    this.backbone = backbone;
    this.options = options;
    int available = backbone.stages().stream().mapToInt(StageInfo::channels).sum();
    if (options.featureDimension() > available) {
      log.warn(
          "PaDiM: {} channels requested but the backbone has {}; keeping all {}",
          options.featureDimension(), available, available);
    }
    this.channels = selectChannels(available, options.featureDimension(), options.seed());
    this.embedding =
        new PadimEmbedding(
            backbone.stages(), backbone.inputWidth(), backbone.inputHeight(), channels);
    this.positions = embedding.width() * embedding.height();
    this.d = channels.length;
    this.packed = PackedCholesky.packedSize(d);

    long bytes = requiredBytes(positions, d);
    long free = availableHeapBytes();
    log.info(
        "PaDiM: {} positions × {} channels (of {}); fitting needs about {} MiB of heap, {} MiB"
            + " available",
        positions, d, available, bytes >> 20, free >> 20);
    if (bytes > free) {
      throw new IllegalStateException(
          ("PaDiM needs about %d MiB of heap for %d positions × %d channels but only %d MiB is"
                  + " available; raise the heap (for example FLAWMAP_JAVA_OPTS=-Xmx%dg) or lower"
                  + " --padim-dimension")
              .formatted(bytes >> 20, positions, d, free >> 20, (bytes >> 30) + 2));
    }
    this.sum = new double[positions * d];
    this.cross = new double[positions * packed];
  }

  /** Estimates the heap that fitting holds: double accumulators plus the float model. */
  public static long requiredBytes(int positions, int d) {
    long perPosition = (long) d + PackedCholesky.packedSize(d);
    return positions * perPosition * (Double.BYTES + Float.BYTES) + (long) positions * d * 4;
  }

  private static long availableHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Picks {@code wanted} distinct channels out of {@code available} uniformly at random, sorted.
   * PaDiM reduces dimension by such a random subset (Defard et al., 2020). All channels are kept
   * when fewer exist.
   */
  static int[] selectChannels(int available, int wanted, long seed) {
    int[] all = IntStream.range(0, available).toArray();
    if (wanted >= available) {
      return all;
    }
    Random random = new Random(seed);
    for (int i = 0; i < wanted; i++) {
      int j = i + random.nextInt(available - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] chosen = Arrays.copyOf(all, wanted);
    Arrays.sort(chosen);
    return chosen;
  }

  @Override
  public String type() {
    return PadimModel.TYPE;
  }

  @Override
  public int count() {
    return count;
  }

  /** Adds one defect-free image's backbone features. */
  @Override
  public void add(FeatureMap[] features) {
    float[] e = embedding.embed(features);
    if (shift == null) {
      shift = e.clone();
    }
    IntStream.range(0, embedding.height())
        .parallel()
        .forEach(row -> accumulateRow(row, e));
    count++;
  }

  private void accumulateRow(int row, float[] e) {
    double[] centred = new double[d];
    for (int p = row * embedding.width(); p < (row + 1) * embedding.width(); p++) {
      int base = p * d;
      for (int k = 0; k < d; k++) {
        centred[k] = (double) e[base + k] - shift[base + k];
        sum[base + k] += centred[k];
      }
      int offset = p * packed;
      for (int j = 0; j < d; j++) {
        double cj = centred[j];
        int column = offset + PackedCholesky.columnStart(j, d) - j;
        for (int i = j; i < d; i++) {
          cross[column + i] += centred[i] * cj;
        }
      }
    }
  }

  /** Turns the sums into means and Cholesky factors of {@code Σ + εI}. */
  @Override
  public PadimModel fit() {
    if (count < 2) {
      throw new IllegalStateException(
          "PaDiM needs at least 2 training images to estimate a covariance, found " + count);
    }
    float[] mean = new float[positions * d];
    float[] factors = new float[positions * packed];
    List<Integer> failed = IntStream.range(0, positions)
        .parallel()
        .filter(p -> !finishPosition(p, mean, factors))
        .boxed()
        .toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(
          ("PaDiM covariance is not positive definite at %d positions (first: %d) even with"
                  + " epsilon %.3g; the features may contain NaN or be far too large, raise"
                  + " --padim-epsilon")
              .formatted(failed.size(), failed.get(0), options.epsilon()));
    }
    // In tile mode each tile is one input, so the count is of tiles, not images.
    log.info("PaDiM: fitted {} positions from {} inputs (tiles in tile mode)", positions, count);
    return new PadimModel(backbone, options, channels, mean, factors, count);
  }

  private boolean finishPosition(int p, float[] mean, float[] factors) {
    int base = p * d;
    double n = count;
    double[] mu = new double[d];
    for (int k = 0; k < d; k++) {
      mu[k] = sum[base + k] / n;
      mean[base + k] = (float) (shift[base + k] + mu[k]);
    }

    // Unbiased covariance about the shift: (Σ c cᵀ - n μ μᵀ) / (n - 1), plus εI.
    double[] cov = new double[packed];
    int offset = p * packed;
    for (int j = 0; j < d; j++) {
      int column = PackedCholesky.columnStart(j, d) - j;
      for (int i = j; i < d; i++) {
        cov[column + i] = (cross[offset + column + i] - n * mu[i] * mu[j]) / (n - 1);
      }
      cov[column + j] += options.epsilon();
    }

    if (!PackedCholesky.factor(cov, 0, d)) {
      return false;
    }
    for (int t = 0; t < packed; t++) {
      factors[offset + t] = (float) cov[t];
    }
    return true;
  }
}
