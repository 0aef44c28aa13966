package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the Magnetic Tile Defects dataset (Huang, Qiu, Yuan, The Visual Computer 36, 2020),
 * arranged in the MVTec AD layout, from the data folder next to the checkout. Skipped when the
 * folder is absent.
 */
class MagneticTileTest {

  private static Path root;
  private static Dataset dataset;

  @BeforeAll
  static void readDataset() throws IOException {
    root = Path.of(System.getProperty("flawmap.home", "."))
        .resolve("../shared/data/magnetic_tile")
        .normalize();
    Assumptions.assumeTrue(Files.isDirectory(root),
        "Magnetic Tile data not found at " + root + "; set -Dflawmap.home to the checkout root");
    dataset = new MvtecReader().read(root);
  }

  private static Map<String, Integer> countByType(List<Sample> samples) {
    Map<String, Integer> counts = new TreeMap<>();
    samples.forEach(s -> counts.merge(s.defectType(), 1, Integer::sum));
    return counts;
  }

  @Test
  void countsMatchDataset() {
    assertEquals("mvtec", DatasetReaders.detect(root));
    assertEquals("magnetic_tile", dataset.product());
    assertEquals(762, dataset.train().size());
    assertEquals(582, dataset.test().size());
    assertTrue(dataset.validation().isEmpty());
    assertEquals(Map.of("blowhole", 115, "break", 85, "crack", 57, "fray", 32, "good", 190,
        "uneven", 103), countByType(dataset.test()));
    for (Sample sample : dataset.test()) {
      assertEquals(sample.anomalous(), sample.mask() != null, sample.id());
    }
    DatasetValidator.validateLayout(dataset);
  }

  /** Decodes all 1,344 images and 392 masks once, as a run would. */
  @Test
  void everyFileDecodesAndFourMasksAreEmpty() {
    DatasetValidator.Report report = DatasetValidator.validateImages(dataset, OnBadFile.FAIL);
    assertEquals(1344, report.checked());
    assertTrue(report.skipped().isEmpty(), report.skipped().toString());
    assertEquals(List.of("test/uneven/exp3_num_45042.jpg", "test/uneven/exp4_num_124690.jpg",
        "test/uneven/exp4_num_352527.jpg", "test/uneven/exp4_num_45057.jpg"),
        report.emptyMaskIds());
  }

  @Test
  void defaultSplitCounts() {
    ValidationSplit.Split split = ValidationSplit.carve(dataset.test(), 0, 0.2);
    // round(0.2 n): blowhole 23, break 17, crack 11, fray 6, good 38, uneven 21.
    assertEquals(Map.of("blowhole", 23, "break", 17, "crack", 11, "fray", 6, "good", 38,
        "uneven", 21), countByType(split.validation()));
    assertEquals(582 - 116, split.test().size());
  }
}
