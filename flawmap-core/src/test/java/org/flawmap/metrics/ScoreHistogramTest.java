package org.flawmap.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {

  private static final float[] ORDERED = {
    -Float.MAX_VALUE,
    -1e30f,
    -2f,
    -1.5f,
    -1f,
    -1e-30f,
    -Float.MIN_VALUE,
    0f,
    Float.MIN_VALUE,
    1e-30f,
    1f,
    1.5f,
    2f,
    1e30f,
    Float.MAX_VALUE
  };

  @Test
  void keyPreservesOrderAcrossSigns() {
    for (int i = 1; i < ORDERED.length; i++) {
      assertTrue(
          ScoreHistogram.keyOf(ORDERED[i - 1]) < ScoreHistogram.keyOf(ORDERED[i]),
          ORDERED[i - 1] + " vs " + ORDERED[i]);
    }
    assertEquals(ScoreHistogram.keyOf(0f), ScoreHistogram.keyOf(-0f));
  }

  @Test
  void keyRoundTripsThroughFloat() {
    for (float v : ORDERED) {
      assertEquals(v, ScoreHistogram.floatOfKey(ScoreHistogram.keyOf(v)));
    }
  }

  @Test
  void binEdgesBracketRandomScores() {
    ScoreHistogram histogram = new ScoreHistogram();
    Random random = new Random(1);
    for (int k = 0; k < 100_000; k++) {
      float v = (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 6));
      int bin = histogram.binOf(v);
      assertTrue(histogram.lowerEdge(bin) <= v, "lower edge above " + v);
      assertTrue(histogram.lowerEdge(bin + 1) > v, "next edge not above " + v);
      assertEquals(bin, histogram.binOf(histogram.lowerEdge(bin)), "edge leaves its bin");
    }
  }

  @Test
  void binWidthIsTwoToMinusMantissaBits() {
    ScoreHistogram histogram = new ScoreHistogram(14);
    float step = (float) Math.pow(2, -14);
    assertNotEquals(histogram.binOf(1f), histogram.binOf(1f + step));
    assertEquals(histogram.binOf(1f), histogram.binOf(1f + step / 2));
    assertEquals(histogram.binOf(-1f - step / 2), histogram.binOf(-1f - step));
    assertNotEquals(histogram.binOf(-1f), histogram.binOf(-1f - step / 2));
  }

  @Test
  void representableScoresAreLowerEdges() {
    ScoreHistogram histogram = new ScoreHistogram();
    for (float v : new float[] {0f, 1f, -3f, 0.5f, 1024f, -0.25f, 17f}) {
      assertTrue(histogram.isRepresentable(v), v + " should be representable");
      assertEquals(v, histogram.lowerEdge(histogram.binOf(v)));
    }
    assertFalse(histogram.isRepresentable(1f + (float) Math.pow(2, -20)));
    assertFalse(histogram.isRepresentable(0.1f));
  }

  @Test
  void countsWeightsAndDescendingOrder() {
    ScoreHistogram histogram = new ScoreHistogram();
    histogram.add(2f);
    histogram.add(-1f);
    histogram.add(2f);
    histogram.add(0.5f, 3, 0.75);
    List<float[]> visited = new ArrayList<>();
    histogram.forEachDescending(
        (bin, edge, count, weight) -> visited.add(new float[] {edge, count, (float) weight}));

    assertEquals(3, visited.size());
    assertArrayEquals(new float[] {2f, 2f, 2f}, visited.get(0));
    assertArrayEquals(new float[] {0.5f, 3f, 0.75f}, visited.get(1));
    assertArrayEquals(new float[] {-1f, 1f, 1f}, visited.get(2));
    assertEquals(6, histogram.totalCount());
    assertEquals(3.75, histogram.totalWeight(), 1e-15);
    assertTrue(histogram.allScoresRepresentable());
    histogram.add(0.1f);
    assertFalse(histogram.allScoresRepresentable());
  }

  @Test
  void mergeEqualsSingleAccumulation() {
    Random random = new Random(2);
    ScoreHistogram all = new ScoreHistogram(10);
    ScoreHistogram left = new ScoreHistogram(10);
    ScoreHistogram right = new ScoreHistogram(10);
    for (int k = 0; k < 5000; k++) {
      float v = (float) random.nextGaussian() * 50;
      double w = random.nextDouble();
      all.add(v, 1, w);
      (k % 2 == 0 ? left : right).add(v, 1, w);
    }
    left.merge(right);

    assertArrayEquals(all.countsDescending(), left.countsDescending());
    assertEquals(all.totalWeight(), left.totalWeight(), 1e-9);
    assertEquals(all.occupiedBins(), left.occupiedBins());
  }

  @Test
  void mergeWeightedIntoUnweighted() {
    ScoreHistogram unweighted = new ScoreHistogram();
    unweighted.add(1f);
    unweighted.add(1f);
    ScoreHistogram weighted = new ScoreHistogram();
    weighted.add(1f, 1, 0.25);
    unweighted.merge(weighted);

    double[] weight = new double[1];
    long[] count = new long[1];
    unweighted.forEachDescending(
        (bin, edge, binCount, binWeight) -> {
          weight[0] = binWeight;
          count[0] = binCount;
        });
    assertEquals(2.25, weight[0], 0);
    assertEquals(3, count[0]);
    assertEquals(2.25, unweighted.totalWeight(), 0);
  }

  @Test
  void pagesGrowWithUsedRangeOnly() {
    ScoreHistogram histogram = new ScoreHistogram(14);
    Random random = new Random(3);
    for (int k = 0; k < 200_000; k++) {
      histogram.add(1f + random.nextFloat());
    }
    // [1, 2) is one binade: 2^14 bins, 4 pages of 4096.
    assertEquals(4, histogram.allocatedPages());
    histogram.add(1e20f);
    assertEquals(5, histogram.allocatedPages());
  }

  @Test
  void nonFiniteScoresRejected() {
    ScoreHistogram histogram = new ScoreHistogram();
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> histogram.add(bad));
      assertTrue(error.getMessage().contains(String.valueOf(bad)), error.getMessage());
      assertTrue(error.getMessage().contains("finite"), error.getMessage());
    }
    assertEquals(0, histogram.totalCount());
  }

  @Test
  void invalidSettingsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(-1));
    assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(21));
    ScoreHistogram a = new ScoreHistogram(10);
    ScoreHistogram b = new ScoreHistogram(12);
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertTrue(error.getMessage().contains("12"), error.getMessage());
  }

  @Test
  void alignedBinsUnionInDescendingOrder() {
    ScoreHistogram positives = new ScoreHistogram();
    ScoreHistogram negatives = new ScoreHistogram();
    positives.addAll(new float[] {3f, 1f, 1f});
    negatives.addAll(new float[] {2f, 1f, -4f});
    AlignedBins bins = AlignedBins.of(positives, negatives);

    assertEquals(4, bins.size());
    float[] edges = new float[bins.size()];
    long[] positiveCounts = new long[bins.size()];
    long[] negativeCounts = new long[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      edges[i] = bins.lowerEdge(i);
      positiveCounts[i] = bins.count(0, i);
      negativeCounts[i] = bins.count(1, i);
    }
    assertArrayEquals(new float[] {3f, 2f, 1f, -4f}, edges);
    assertArrayEquals(new long[] {1, 0, 2, 0}, positiveCounts);
    assertArrayEquals(new long[] {0, 1, 1, 1}, negativeCounts);
    assertTrue(bins.edgeAboveMaximum() > 3f);
    assertTrue(bins.exact());
    assertEquals(3, bins.totalCount(0));
  }

  @Test
  void extremeBinsHaveFiniteLowerEdges() {
    ScoreHistogram histogram = new ScoreHistogram();
    float lowest = histogram.lowerEdge(histogram.binOf(-Float.MAX_VALUE));
    assertEquals(-Float.MAX_VALUE, lowest);
    assertTrue(Float.isFinite(histogram.lowerEdge(histogram.binOf(Float.MAX_VALUE))));
    assertEquals(
        Float.POSITIVE_INFINITY, histogram.lowerEdge(histogram.binOf(Float.MAX_VALUE) + 1));
    assertEquals(0f, histogram.lowerEdge(histogram.binOf(-0f)));
  }
}
