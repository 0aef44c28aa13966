package org.flawmap.dataset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carves a validation set out of the test images when a dataset has no validation folder. The
 * validation set picks thresholds and the test set measures them, so no image is in both.
 *
 * <p>Rule: the test images are grouped by defect type ({@code good} included). Each group is
 * sorted by id, shuffled with a {@link Random} seeded from the split seed and the defect type,
 * and its first {@code k} images go to validation, where {@code k = round(fraction × n)} for a
 * group of {@code n}, raised to at least 1 and, when {@code n ≥ 2}, lowered to at most
 * {@code n - 1} so that the test set keeps every defect type. A group of one image goes to
 * validation, with a warning. The split therefore depends only on the seed, the fraction and the
 * ids and defect types, not on the order in which the file system lists files, and the groups
 * are independent of each other. {@code java.util.Random} has a specified algorithm, so a seed
 * gives the same split on every JVM.
 */
public final class ValidationSplit {

  private static final Logger LOG = LoggerFactory.getLogger(ValidationSplit.class);

  /** Default fraction of each defect type's test images that goes to validation. */
  public static final double DEFAULT_FRACTION = 0.2;

  private ValidationSplit() {}

  /**
   * A validation set and the test set that remains.
   *
   * @param validation validation samples, sorted by id
   * @param test test samples not in {@code validation}, sorted by id
   * @param seed seed of the split
   * @param fraction fraction of each defect type requested for validation
   */
  public record Split(List<Sample> validation, List<Sample> test, long seed, double fraction) {

    public Split {
      validation = List.copyOf(validation);
      test = List.copyOf(test);
    }

    /** Returns the ids of the validation samples, sorted, for a report to repeat the split. */
    public List<String> validationIds() {
      return validation.stream().map(Sample::id).toList();
    }
  }

  /**
   * Returns the dataset's own validation set when it has one, and otherwise carves one out of
   * its test set with {@link #carve}. In the first case the test set is unchanged and
   * {@code seed} and {@code fraction} are only recorded in the result.
   */
  public static Split of(Dataset dataset, long seed, double fraction) {
    checkFraction(fraction);
    if (!dataset.validation().isEmpty()) {
      LOG.info("Using the {} images of the validation folder of {}",
          dataset.validation().size(), dataset.root());
      return new Split(dataset.validation(), dataset.test(), seed, fraction);
    }
    return carve(dataset.test(), seed, fraction);
  }

  /**
   * Splits {@code test} by the rule in the class description.
   *
   * @param fraction in (0, 1), for example {@link #DEFAULT_FRACTION}
   * @throws IllegalArgumentException when {@code fraction} is outside (0, 1) or ids repeat
   */
  public static Split carve(List<Sample> test, long seed, double fraction) {
    checkFraction(fraction);
    requireUniqueIds(test);

    Map<String, List<Sample>> byType = new TreeMap<>();
    for (Sample sample : TreeLayout.sorted(test)) {
      byType.computeIfAbsent(sample.defectType(), key -> new ArrayList<>()).add(sample);
    }

    List<Sample> validation = new ArrayList<>();
    List<Sample> remaining = new ArrayList<>();
    for (Map.Entry<String, List<Sample>> group : byType.entrySet()) {
      List<Sample> samples = group.getValue();
      int n = samples.size();
      int k = (int) Math.max(1, Math.round(fraction * n));
      if (n >= 2) {
        k = Math.min(k, n - 1);
      } else {
        LOG.warn("Defect type {} has a single test image, {}; it goes to validation and the test"
            + " set has none of this type", group.getKey(), samples.get(0).id());
      }
      shuffle(samples, new Random(groupSeed(seed, group.getKey())));
      validation.addAll(samples.subList(0, k));
      remaining.addAll(samples.subList(k, n));
    }

    Split split = new Split(TreeLayout.sorted(validation), TreeLayout.sorted(remaining), seed,
        fraction);
    LOG.info("Split {} test images into {} validation and {} test (seed {}, fraction {})",
        test.size(), split.validation().size(), split.test().size(), seed, fraction);
    return split;
  }

  /**
   * Repeats a split from the validation ids that a report recorded.
   *
   * @param samples the test images the split was made from
   * @param validationIds ids of the samples that go to validation
   * @param seed seed recorded with the split, kept in the result
   * @param fraction fraction recorded with the split, kept in the result
   * @throws DatasetException naming every id that is not among {@code samples}
   */
  public static Split fromIds(
      List<Sample> samples, Collection<String> validationIds, long seed, double fraction) {
    requireUniqueIds(samples);
    Set<String> unmatchedIds = new LinkedHashSet<>(validationIds);
    List<Sample> validation = new ArrayList<>();
    List<Sample> remaining = new ArrayList<>();
    for (Sample sample : samples) {
      if (unmatchedIds.remove(sample.id())) {
        validation.add(sample);
      } else {
        remaining.add(sample);
      }
    }
    if (!unmatchedIds.isEmpty()) {
      throw new DatasetException(
          "%d validation ids are not among the %d test images, so the split cannot be repeated;"
              .formatted(unmatchedIds.size(), samples.size())
              + " the dataset has changed since the split was recorded: " + unmatchedIds);
    }
    return new Split(TreeLayout.sorted(validation), TreeLayout.sorted(remaining), seed,
        fraction);
  }

  private static void checkFraction(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be strictly between 0 and 1, found " + fraction
              + "; for example 0.2 moves a fifth of each defect type's test images to"
              + " validation");
    }
  }

  private static void requireUniqueIds(List<Sample> samples) {
    Set<String> seen = new HashSet<>();
    for (Sample sample : samples) {
      if (!seen.add(sample.id())) {
        throw new IllegalArgumentException("sample id " + sample.id() + " appears twice");
      }
    }
  }

  /** Fisher–Yates shuffle, written out so that the order depends only on {@link Random}. */
  private static void shuffle(List<Sample> samples, Random random) {
    for (int i = samples.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Sample swap = samples.get(i);
      samples.set(i, samples.get(j));
      samples.set(j, swap);
    }
  }

  /** Mixes the split seed with the defect type (SplitMix64 finaliser) for one group's seed. */
  static long groupSeed(long seed, String defectType) {
    long z = seed + 0x9E3779B97F4A7C15L * (defectType.hashCode() + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
