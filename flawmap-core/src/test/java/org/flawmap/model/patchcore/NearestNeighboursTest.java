package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The nearest-neighbour search and the bank neighbours against brute force in double. */
class NearestNeighboursTest {

  static float[] randomRows(int rows, int d, long seed) {
    Random random = new Random(seed);
    float[] out = new float[rows * d];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextGaussian();
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

  @Test
  void searchMatchesBruteForce() {
    // Neither count is a multiple of the tile or task size, so partial tiles are covered.
    int d = 10;
    int size = NearestNeighbours.TILE + 188;
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
  void searchMatchesFloatReferenceExactly() {
    // The reference sums (b_j - x_j)² in float, one dimension after the other, and keeps the
    // first of equal minima: the search must pick the same patch, whatever its loop blocking.
    // d = 130 leaves a remainder after the blocks of four dimensions.
    for (int d : new int[] {128, 130, 3}) {
      int size = 2 * NearestNeighbours.TILE + 77;
      int queries = NearestNeighbours.QUERIES_PER_TASK + 9;
      float[] bank = randomRows(size, d, 31L + d);
      float[] query = randomRows(queries, d, 32L + d);
      // Copies of bank patches make exact ties of the float sums.
      System.arraycopy(bank, 5 * d, bank, (size - 1) * d, d);
      System.arraycopy(bank, 5 * d, query, 0, d);
      NearestNeighbours.Matches matches =
          new NearestNeighbours(bank, size, d).search(query, queries);

      for (int q = 0; q < queries; q++) {
        int best = 0;
        float bestSum = Float.POSITIVE_INFINITY;
        for (int m = 0; m < size; m++) {
          float sum = 0;
          for (int j = 0; j < d; j++) {
            float diff = bank[m * d + j] - query[q * d + j];
            sum += diff * diff;
          }
          if (sum < bestSum) {
            bestSum = sum;
            best = m;
          }
        }
        assertEquals(best, matches.index()[q], "d " + d + ", query " + q);
        assertEquals((float) distance(query, q, bank, best, d), matches.distance()[q], 0f,
            "d " + d + ", query " + q);
      }
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

  @Test
  void neighboursOfMatchSortedDistances() {
    int d = 5;
    int size = 300;
    float[] bank = randomRows(size, d, 24L);
    NearestNeighbours search = new NearestNeighbours(bank, size, d);
    int[] expected =
        IntStream.range(0, size)
            .boxed()
            .sorted(Comparator.comparingDouble(m -> distance(bank, 42, bank, m, d)))
            .limit(9)
            .mapToInt(Integer::intValue)
            .toArray();
    assertArrayEquals(expected, search.neighboursOf(42, 9));
    assertEquals(42, search.neighboursOf(42, 9)[0]);
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
