package org.flawmap.model.padim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Random;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Checks the fitted Gaussians and the Mahalanobis distances against a direct computation:
 * sample mean, unbiased covariance plus εI, its inverse by Gauss–Jordan elimination, and
 * {@code sqrt(rᵀ Σ⁻¹ r)}.
 */
class PadimMathTest {

  private static final float[] ZERO = {0, 0, 0};
  private static final float[] ONE = {1, 1, 1};

  /** Two stages: 3 channels at stride 4 and 2 channels at stride 8, on an 8×8 input. */
  private static BackboneInfo tinyBackbone() {
    return new BackboneInfo(
        "tiny",
        "0",
        8,
        8,
        ZERO,
        ONE,
        List.of(new StageInfo("s1", 3, 4), new StageInfo("s2", 2, 8)));
  }

  private static FeatureMap[] randomFeatures(Random random, double scale, double offset) {
    float[] a = new float[3 * 2 * 2];
    float[] b = new float[2];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (offset + scale * random.nextGaussian());
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (offset + scale * random.nextGaussian());
    }
    return new FeatureMap[] {new FeatureMap(3, 2, 2, 4, a), new FeatureMap(2, 1, 1, 8, b)};
  }

  /** Returns the embedding of position (x, y), taken directly from the stage maps. */
  private static double[] directEmbedding(FeatureMap[] f, int x, int y) {
    double[] e = new double[5];
    for (int c = 0; c < 3; c++) {
      e[c] = f[0].get(c, y, x);
    }
    for (int c = 0; c < 2; c++) {
      e[3 + c] = f[1].get(c, 0, 0);
    }
    return e;
  }

  @Test
  void fitLogCountsInputsNotImages() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(PadimFitter.class);
    logs.start();
    logger.addAppender(logs);
    try {
      PadimFitter fitter = new PadimFitter(tinyBackbone(), PadimOptions.DEFAULTS);
      Random random = new Random(3);
      for (int i = 0; i < 5; i++) {
        fitter.add(randomFeatures(random, 1.0, 0.0));
      }
      fitter.fit();
    } finally {
      logger.detachAppender(logs);
    }

    List<String> messages =
        logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertTrue(messages.contains("PaDiM: fitted 4 positions from 5 inputs (tiles in tile mode)"),
        messages.toString());
  }

  @Test
  void fitAndDistanceMatchDirectComputation() {
    Random random = new Random(7);
    PadimOptions options = new PadimOptions(100, 0.01, 4.0, 1L);
    PadimFitter fitter = new PadimFitter(tinyBackbone(), options);
    int n = 40;
    FeatureMap[][] train = new FeatureMap[n][];
    for (int i = 0; i < n; i++) {
      // A large offset makes naive E[xx'] - mu mu' lose digits; the shifted sums must not.
      train[i] = randomFeatures(random, 1.0 + 0.1 * i % 3, 1000.0);
      fitter.add(train[i]);
    }
    PadimModel model = fitter.fit();
    FeatureMap[] query = randomFeatures(random, 2.0, 1000.0);
    float[] grid = model.distanceGrid(query).values();

    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        double[][] samples = new double[n][];
        for (int i = 0; i < n; i++) {
          samples[i] = directEmbedding(train[i], x, y);
        }
        double[] mu = mean(samples);
        double[][] inverse = invert(covariance(samples, mu, 0.01));
        double[] r = directEmbedding(query, x, y);
        for (int k = 0; k < 5; k++) {
          r[k] -= mu[k];
        }
        double expected = Math.sqrt(quadratic(inverse, r));
        // Features near 1000 are stored as float (7 digits), so allow 1e-3 relative.
        assertEquals(expected, grid[y * 2 + x], 1e-3 * expected, "position " + x + "," + y);
      }
    }
  }

  @Test
  void identityCovarianceGivesEuclideanDistance() {
    // With d = 1 and a known variance the distance is |x - mu| / sqrt(var + eps).
    double[] packed = {4.0};
    assertTrue(PackedCholesky.factor(packed, 0, 1));
    assertEquals(2.0, packed[0], 1e-15);
    float[] l = {(float) packed[0]};
    float[] r = {3f};
    assertEquals(9.0 / 4.0, PackedCholesky.solveSquaredNorm(l, 0, r, 1), 1e-7);
  }

  @Test
  void choleskyRejectsIndefiniteMatrix() {
    // [[1, 2], [2, 1]] has eigenvalues 3 and -1; packed column-major: 1, 2, 1.
    double[] packed = {1, 2, 1};
    assertTrue(!PackedCholesky.factor(packed, 0, 2));
  }

  @Test
  void channelSubsetIsSeededAndDistinct() {
    int[] a = PadimFitter.selectChannels(152, 100, 3L);
    int[] b = PadimFitter.selectChannels(152, 100, 3L);
    int[] c = PadimFitter.selectChannels(152, 100, 4L);
    assertEquals(100, a.length);
    assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    assertTrue(!java.util.Arrays.equals(a, c));
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i] > a[i - 1], "sorted and distinct");
    }
    assertEquals(152, PadimFitter.selectChannels(152, 500, 3L).length);
  }

  @Test
  void fitNeedsTwoImages() {
    PadimFitter fitter = new PadimFitter(tinyBackbone(), PadimOptions.DEFAULTS);
    fitter.add(randomFeatures(new Random(1), 1, 0));
    IllegalStateException e = assertThrows(IllegalStateException.class, fitter::fit);
    assertTrue(e.getMessage().contains("at least 2 training images"), e.getMessage());
  }

  private static double[] mean(double[][] x) {
    double[] mu = new double[x[0].length];
    for (double[] row : x) {
      for (int k = 0; k < mu.length; k++) {
        mu[k] += row[k] / x.length;
      }
    }
    return mu;
  }

  private static double[][] covariance(double[][] x, double[] mu, double eps) {
    int d = mu.length;
    double[][] c = new double[d][d];
    for (double[] row : x) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[i][j] += (row[i] - mu[i]) * (row[j] - mu[j]) / (x.length - 1);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      c[i][i] += eps;
    }
    return c;
  }

  private static double[][] invert(double[][] m) {
    int d = m.length;
    double[][] a = new double[d][2 * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(m[i], 0, a[i], 0, d);
      a[i][d + i] = 1;
    }
    for (int col = 0; col < d; col++) {
      int pivot = col;
      for (int r = col + 1; r < d; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      double p = a[col][col];
      for (int k = 0; k < 2 * d; k++) {
        a[col][k] /= p;
      }
      for (int r = 0; r < d; r++) {
        if (r != col) {
          double f = a[r][col];
          for (int k = 0; k < 2 * d; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    double[][] inv = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(a[i], d, inv[i], 0, d);
    }
    return inv;
  }

  private static double quadratic(double[][] m, double[] r) {
    double s = 0;
    for (int i = 0; i < r.length; i++) {
      for (int j = 0; j < r.length; j++) {
        s += r[i] * m[i][j] * r[j];
      }
    }
    return s;
  }
}
