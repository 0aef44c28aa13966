package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

  /** 30 good, 12 crack, 5 hole, 2 scratch, 1 dent. */
  private static List<Sample> testSet() {
    Map<String, Integer> counts = Map.of("good", 30, "crack", 12, "hole", 5, "scratch", 2,
        "dent", 1);
    List<Sample> samples = new ArrayList<>();
    counts.forEach((type, count) -> {
      for (int i = 0; i < count; i++) {
        String id = "test/%s/%03d.png".formatted(type, i);
        boolean anomalous = !type.equals(Sample.GOOD);
        samples.add(new Sample(id, Path.of(id), anomalous ? Path.of(id + "_mask") : null, type,
            anomalous));
      }
    });
    return samples;
  }

  private static Map<String, Integer> countByType(List<Sample> samples) {
    Map<String, Integer> counts = new TreeMap<>();
    samples.forEach(s -> counts.merge(s.defectType(), 1, Integer::sum));
    return counts;
  }

  @Test
  void disjointAndCovering() {
    List<Sample> test = testSet();
    ValidationSplit.Split split = ValidationSplit.carve(test, 42, 0.2);
    Set<String> validation = new HashSet<>(split.validationIds());
    for (Sample sample : split.test()) {
      assertFalse(validation.contains(sample.id()), sample.id() + " is in both sets");
    }
    Set<String> union = new HashSet<>(validation);
    split.test().forEach(s -> union.add(s.id()));
    assertEquals(test.size(), union.size());
    assertEquals(test.size(), split.validation().size() + split.test().size());
  }

  @Test
  void countsFollowRule() {
    ValidationSplit.Split split = ValidationSplit.carve(testSet(), 42, 0.2);
    // round(0.2 n) raised to 1 and capped at n - 1: good 6, crack 2, hole 1, scratch 1, dent 1.
    assertEquals(Map.of("crack", 2, "dent", 1, "good", 6, "hole", 1, "scratch", 1),
        countByType(split.validation()));
    assertEquals(Map.of("crack", 10, "good", 24, "hole", 4, "scratch", 1),
        countByType(split.test()));
    assertEquals(42, split.seed());
    assertEquals(0.2, split.fraction());
  }

  @Test
  void largeFractionKeepsOneInTest() {
    ValidationSplit.Split split = ValidationSplit.carve(testSet(), 1, 0.95);
    Map<String, Integer> test = countByType(split.test());
    assertEquals(1, test.get("crack"));
    assertEquals(1, test.get("good"));
    assertEquals(1, test.get("scratch"));
  }

  @Test
  void sameSeedSameSplitInAnyInputOrder() {
    List<Sample> shuffled = new ArrayList<>(testSet());
    Collections.shuffle(shuffled, new Random(99));
    ValidationSplit.Split first = ValidationSplit.carve(testSet(), 7, 0.2);
    ValidationSplit.Split second = ValidationSplit.carve(shuffled, 7, 0.2);
    assertEquals(first.validationIds(), second.validationIds());
    assertEquals(first.test(), second.test());
  }

  @Test
  void differentSeedDifferentSplit() {
    ValidationSplit.Split first = ValidationSplit.carve(testSet(), 7, 0.2);
    ValidationSplit.Split second = ValidationSplit.carve(testSet(), 8, 0.2);
    assertNotEquals(first.validationIds(), second.validationIds());
  }

  @Test
  void outputsSortedById() {
    ValidationSplit.Split split = ValidationSplit.carve(testSet(), 3, 0.3);
    List<String> ids = split.validationIds();
    List<String> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    assertEquals(sorted, ids);
  }

  @Test
  void fractionOutsideOpenIntervalRejected() {
    for (double fraction : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ValidationSplit.carve(testSet(), 1, fraction), "fraction " + fraction);
      assertTrue(e.getMessage().contains(String.valueOf(fraction)), e.getMessage());
    }
  }

  @Test
  void fromIdsRepeatsSplit() {
    ValidationSplit.Split original = ValidationSplit.carve(testSet(), 5, 0.2);
    ValidationSplit.Split repeated =
        ValidationSplit.fromIds(testSet(), original.validationIds(), 5, 0.2);
    assertEquals(original, repeated);
  }

  @Test
  void fromIdsRejectsUnknownIds() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> ValidationSplit.fromIds(testSet(), List.of("test/good/000.png", "test/x/1.png"),
            5, 0.2));
    assertTrue(e.getMessage().contains("test/x/1.png"), e.getMessage());
    assertFalse(e.getMessage().contains("test/good/000.png"), e.getMessage());
  }

  @Test
  void datasetValidationFolderWins() {
    List<Sample> test = testSet();
    Sample own = new Sample("validation/good/v.png", Path.of("v.png"), null, "good", false);
    Dataset dataset = new Dataset(Path.of("root"), "p", List.of(), List.of(own), test);
    ValidationSplit.Split split = ValidationSplit.of(dataset, 1, 0.2);
    assertEquals(List.of(own), split.validation());
    assertEquals(test, split.test());

    Dataset without = new Dataset(Path.of("root"), "p", List.of(), List.of(), test);
    assertEquals(ValidationSplit.carve(test, 1, 0.2), ValidationSplit.of(without, 1, 0.2));
  }

  @Test
  void duplicateIdsRejected() {
    List<Sample> test = new ArrayList<>(testSet());
    test.add(test.get(0));
    assertThrows(IllegalArgumentException.class, () -> ValidationSplit.carve(test, 1, 0.2));
  }
}
