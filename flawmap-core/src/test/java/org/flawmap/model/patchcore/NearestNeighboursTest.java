package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The nearest-neighbour search and the bank neighbours against brute force in double. */
class NearestNeighboursTest {

  /**
   * Relative tolerance on the distance of the returned bank patch against the double-precision
   * minimum: the search compares float sums in rotated coordinates, so a near-tie within float
   * rounding may go to either patch.
   */
  static final double TOLERANCE = 1e-5;

  static final int[] SIZES = {
    1, 2, 3, 23, 24, 25, NearestNeighbours.SCAN_CHUNK - 1, NearestNeighbours.SCAN_CHUNK + 1,
    2 * NearestNeighbours.SCAN_CHUNK + 77
  };

  /** 1 and 3 lie within the prefix, and 25 and 130 leave remainders after blocks of 4 and 8. */
  static final int[] DIMENSIONS = {1, 3, 25, 128, 130};

  static float[] randomRows(int rows, int d, long seed) {
    Random random = new Random(seed);
    float[] out = new float[rows * d];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }

  static float[] uniformRows(int rows, int d, long seed) {
    Random random = new Random(seed);
    float[] out = new float[rows * d];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextFloat();
    }
    return out;
  }

  /** Rows around 8 seeded centres: centres with σ = 10, members within σ = 0.05 of them. */
  static float[] clusteredRows(int rows, int d, long seed) {
    Random random = new Random(seed);
    float[] centres = new float[8 * d];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (float) (10 * random.nextGaussian());
    }
    float[] out = new float[rows * d];
    for (int r = 0; r < rows; r++) {
      int c = random.nextInt(8);
      for (int j = 0; j < d; j++) {
        out[r * d + j] = (float) (centres[c * d + j] + 0.05 * random.nextGaussian());
      }
    }
    return out;
  }

  static double distance(float[] a, int aRow, float[] b, int bRow, int d) {
    double sum = 0;
    for (int j = 0; j < d; j++) {
      double diff = (double) a[aRow * d + j] - b[bRow * d + j];
      sum += diff * diff;
    }
    return Math.sqrt(sum);
  }

  /**
   * Queries for a bank: noisy copies of bank patches, exact copies, fresh rows from the same
   * generator, and rows 1,000 times as far from the origin, far outside the bank.
   */
  static float[] queriesFor(float[] bank, int size, int d, float[] fresh, long seed) {
    Random random = new Random(seed);
    int count = fresh.length / d;
    float[] queries = new float[4 * count * d];
    for (int q = 0; q < count; q++) {
      int m = random.nextInt(size);
      for (int j = 0; j < d; j++) {
        float value = bank[m * d + j];
        queries[q * d + j] = (float) (value + 0.01 * random.nextGaussian());
        queries[(count + q) * d + j] = value;
        queries[(2 * count + q) * d + j] = fresh[q * d + j];
        queries[(3 * count + q) * d + j] = 1000 * fresh[q * d + j];
      }
    }
    return queries;
  }

  static void assertNearest(
      float[] bank, int size, int d, float[] queries, NearestNeighbours.Matches matches,
      String label) {
    int count = queries.length / d;
    for (int q = 0; q < count; q++) {
      double expected = Double.POSITIVE_INFINITY;
      for (int m = 0; m < size; m++) {
        expected = Math.min(expected, distance(queries, q, bank, m, d));
      }
      double found = distance(queries, q, bank, matches.index()[q], d);
      assertEquals(expected, found, TOLERANCE * expected, label + ", query " + q);
      assertEquals((float) found, matches.distance()[q], label + ", reported distance " + q);
    }
  }

  @Test
  void searchMatchesBruteForce() {
    // Neither count is a multiple of the chunk or task size, so partial chunks are covered.
    int d = 10;
    int size = NearestNeighbours.SCAN_CHUNK + 188;
    int queries = 3 * NearestNeighbours.QUERIES_PER_TASK + 5;
    float[] bank = randomRows(size, d, 21L);
    float[] query = randomRows(queries, d, 22L);
    NearestNeighbours.Matches matches = new NearestNeighbours(bank, size, d).search(query, queries);

    for (int q = 0; q < queries; q++) {
      int best = 0;
      for (int m = 1; m < size; m++) {
        if (distance(query, q, bank, m, d) < distance(query, q, bank, best, d)) {
          best = m;
        }
      }
      assertEquals(best, matches.index()[q], "nearest bank patch of query " + q);
      assertEquals(distance(query, q, bank, best, d), matches.distance()[q], 1e-6,
          "distance of query " + q);
    }
  }

  @Test
  void searchIsExactOnClusteredBanks() {
    for (int size : SIZES) {
      for (int d : DIMENSIONS) {
        float[] bank = clusteredRows(size, d, 41L + size + d);
        float[] queries = queriesFor(bank, size, d, clusteredRows(20, d, 42L + d), 43L);
        NearestNeighbours.Matches matches =
            new NearestNeighbours(bank, size, d).search(queries, queries.length / d);
        assertNearest(bank, size, d, queries, matches, "clustered, size " + size + ", d " + d);
      }
    }
  }

  @Test
  void searchIsExactOnUniformBanks() {
    for (int size : SIZES) {
      for (int d : DIMENSIONS) {
        float[] bank = uniformRows(size, d, 51L + size + d);
        float[] queries = queriesFor(bank, size, d, uniformRows(20, d, 52L + d), 53L);
        NearestNeighbours.Matches matches =
            new NearestNeighbours(bank, size, d).search(queries, queries.length / d);
        assertNearest(bank, size, d, queries, matches, "uniform, size " + size + ", d " + d);
      }
    }
  }

  @Test
  void searchExactFarAlongWeakestAxis() {
    // Channel j has σ = 0.97^j, so the first coordinates of the rotation carry most of the
    // spread. A query far along the last channel has small partial sums but large full sums,
    // so every patch is a candidate and the whole bank is completed dimension-major.
    int d = 128;
    int size = 3 * NearestNeighbours.SCAN_CHUNK + 5;
    float[] bank = randomRows(size, d, 61L);
    for (int m = 0; m < size; m++) {
      for (int j = 0; j < d; j++) {
        bank[m * d + j] *= (float) Math.pow(0.97, j);
      }
    }
    float[] queries = randomRows(40, d, 62L);
    for (int q = 0; q < 40; q++) {
      for (int j = 0; j < d; j++) {
        queries[q * d + j] *= (float) Math.pow(0.97, j);
      }
      queries[q * d + d - 1] += 1000;
    }
    NearestNeighbours.Matches matches = new NearestNeighbours(bank, size, d).search(queries, 40);
    assertNearest(bank, size, d, queries, matches, "far along the weakest axis");
  }

  @Test
  void copiesResolveToLowestIndex() {
    // Each copy of a patch has the same rotated coordinates and so the same float sum, zero
    // for a query equal to it: the lowest index must win whatever patch the search starts at.
    int d = 128;
    int size = 2 * NearestNeighbours.SCAN_CHUNK + 40;
    float[] bank = clusteredRows(size, d, 71L);
    Random random = new Random(72L);
    for (int copy = 0; copy < 200; copy++) {
      int from = random.nextInt(size / 2);
      int to = size / 2 + random.nextInt(size / 2);
      System.arraycopy(bank, from * d, bank, to * d, d);
    }
    int count = 3 * NearestNeighbours.QUERIES_PER_TASK;
    float[] queries = new float[count * d];
    int[] source = new int[count];
    for (int q = 0; q < count; q++) {
      source[q] = size / 2 + random.nextInt(size / 2);
      System.arraycopy(bank, source[q] * d, queries, q * d, d);
    }
    NearestNeighbours.Matches matches =
        new NearestNeighbours(bank, size, d).search(queries, count);

    for (int q = 0; q < count; q++) {
      int expected = size;
      for (int m = 0; m < size; m++) {
        if (distance(queries, q, bank, m, d) == 0) {
          expected = Math.min(expected, m);
        }
      }
      assertEquals(expected, matches.index()[q], "query copied from patch " + source[q]);
      assertEquals(0f, matches.distance()[q], "distance of query " + q);
    }
  }

  @Test
  void tieWithFirstCandidateGoesLower() {
    // Query 1 is exactly as far from patch 0 as from patch 1, which won query 0 and so is the
    // first candidate of query 1. The tie must still go to patch 0, as for query 1 alone.
    // Pairs of far patches keep the bank mean at 2, so the rotated values stay integers and the
    // two float sums are equal. The far patches also keep the candidates few, so that the
    // chunk is completed patch by patch rather than dimension-major.
    int pairs = 300;
    float[] bank = new float[3 + 2 * pairs];
    bank[1] = 2;
    bank[2] = 4;
    for (int i = 0; i < pairs; i++) {
      bank[3 + 2 * i] = 102 + i;
      bank[4 + 2 * i] = -98 - i;
    }
    NearestNeighbours search = new NearestNeighbours(bank, bank.length, 1);
    NearestNeighbours.Matches matches = search.search(new float[] {2.1f, 1}, 2);
    assertEquals(1, matches.index()[0]);
    assertEquals(0, matches.index()[1]);
    assertEquals(0, search.search(new float[] {1}, 1).index()[0]);
  }

  @Test
  void resultsIndependentOfBatchingAndThreads() throws Exception {
    int d = 128;
    int size = 4 * NearestNeighbours.SCAN_CHUNK + 9;
    float[] bank = clusteredRows(size, d, 81L);
    float[] queries = queriesFor(bank, size, d, clusteredRows(50, d, 82L), 83L);
    int count = queries.length / d;
    NearestNeighbours search = new NearestNeighbours(bank, size, d);
    NearestNeighbours.Matches together = search.search(queries, count);

    float[] reversed = new float[queries.length];
    for (int q = 0; q < count; q++) {
      System.arraycopy(queries, q * d, reversed, (count - 1 - q) * d, d);
    }
    NearestNeighbours.Matches backwards = search.search(reversed, count);
    ForkJoinPool single = new ForkJoinPool(1);
    NearestNeighbours.Matches oneThread;
    try {
      oneThread = single.submit(() -> search.search(queries, count)).get();
    } finally {
      single.shutdown();
    }

    for (int q = 0; q < count; q++) {
      float[] query = new float[d];
      System.arraycopy(queries, q * d, query, 0, d);
      NearestNeighbours.Matches alone = search.search(query, 1);
      assertEquals(together.index()[q], alone.index()[0], "query " + q + " alone");
      assertEquals(together.distance()[q], alone.distance()[0], "distance " + q + " alone");
      assertEquals(
          together.index()[q], backwards.index()[count - 1 - q], "query " + q + " reversed");
      assertEquals(together.index()[q], oneThread.index()[q], "query " + q + " on one thread");
    }
  }

  @Test
  void bankPatchFindsItselfAtDistanceZero() {
    int d = 4;
    float[] bank = randomRows(50, d, 23L);
    float[] query = new float[d];
    System.arraycopy(bank, 37 * d, query, 0, d);
    NearestNeighbours.Matches matches = new NearestNeighbours(bank, 50, d).search(query, 1);
    assertEquals(37, matches.index()[0]);
    assertEquals(0f, matches.distance()[0]);
  }

  static int[] bruteForceNeighbours(float[] bank, int size, int d, int m, int count) {
    return IntStream.range(0, size)
        .boxed()
        .sorted(Comparator.comparingDouble(o -> distance(bank, m, bank, o, d)))
        .limit(count)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Test
  void neighboursOfMatchSortedDistances() {
    int d = 5;
    int size = 300;
    float[] bank = randomRows(size, d, 24L);
    NearestNeighbours search = new NearestNeighbours(bank, size, d);
    assertArrayEquals(bruteForceNeighbours(bank, size, d, 42, 9), search.neighboursOf(42, 9));
    assertEquals(42, search.neighboursOf(42, 9)[0]);
  }

  @Test
  void neighboursOfMatchBruteForceWithCopies() {
    // Exact copies tie, and copies moved by about 1e-6 per channel nearly tie.
    int d = 128;
    int size = 700;
    float[] bank = clusteredRows(size, d, 91L);
    Random random = new Random(92L);
    for (int copy = 0; copy < 150; copy++) {
      int from = random.nextInt(size);
      int to = random.nextInt(size);
      for (int j = 0; j < d; j++) {
        float jitter = copy % 2 == 0 ? 0 : (float) (1e-6 * random.nextGaussian());
        bank[to * d + j] = bank[from * d + j] + jitter;
      }
    }
    NearestNeighbours search = new NearestNeighbours(bank, size, d);
    for (int m = 0; m < size; m += 7) {
      assertArrayEquals(
          bruteForceNeighbours(bank, size, d, m, 9), search.neighboursOf(m, 9), "patch " + m);
    }
  }

  @Test
  void neighboursOfRankNearTiesByDouble() {
    // 40 patches on a sphere of radius 100 around patch 0 differ in distance only by the float
    // rounding of their coordinates, about 1e-8 relative, which float sums cannot resolve. The
    // ranking, and which of them make the count, must follow the double distances. The other
    // patches lie 1,000 further out.
    int d = 128;
    int size = 300;
    float[] bank = uniformRows(size, d, 93L);
    for (int i = 41 * d; i < bank.length; i++) {
      bank[i] += 1000;
    }
    Random random = new Random(94L);
    for (int p = 1; p <= 40; p++) {
      double[] direction = new double[d];
      double norm = 0;
      for (int j = 0; j < d; j++) {
        direction[j] = random.nextGaussian();
        norm += direction[j] * direction[j];
      }
      for (int j = 0; j < d; j++) {
        bank[p * d + j] = (float) (bank[j] + 100 * direction[j] / Math.sqrt(norm));
      }
    }
    NearestNeighbours search = new NearestNeighbours(bank, size, d);
    for (int count : new int[] {2, 9, 20}) {
      assertArrayEquals(
          bruteForceNeighbours(bank, size, d, 0, count), search.neighboursOf(0, count),
          count + " neighbours");
    }
  }

  @Test
  void neighboursAreCappedAtTheBankSize() {
    float[] bank = {0, 0, 1, 0, 3, 0};
    NearestNeighbours search = new NearestNeighbours(bank, 3, 2);
    assertArrayEquals(new int[] {2, 1, 0}, search.neighboursOf(2, 9));
  }

  @Test
  void duplicatesKeepTheLowerIndexFirst() {
    float[] bank = {1, 1, 5, 5, 1, 1};
    NearestNeighbours search = new NearestNeighbours(bank, 3, 2);
    assertArrayEquals(new int[] {0, 2}, search.neighboursOf(2, 2));
    float[] query = {1, 1};
    assertEquals(0, search.search(query, 1).index()[0]);
  }
}
