package org.flawmap.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.MvtecReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drafts, writes, reads and validates labels for the Magnetic Tile Defects dataset (Huang, Qiu,
 * Yuan, The Visual Computer 36, 2020) in the MVTec AD layout, from the data folder next to the
 * checkout. Skipped when the folder is absent.
 */
class MagneticTileLabelsTest {

  @TempDir
  Path dir;

  @Test
  void suggestedLabelsValidate() throws IOException {
    Path root = Path.of(System.getProperty("flawmap.home", "."))
        .resolve("../shared/data/magnetic_tile")
        .normalize();
    Assumptions.assumeTrue(Files.isDirectory(root),
        "Magnetic Tile data not found at " + root + "; set -Dflawmap.home to the checkout root");
    Dataset dataset = new MvtecReader().read(root);
    DefaultCategories defaults = DefaultCategories.builtIn();

    LabelSuggester.Suggestion suggestion = new LabelSuggester(defaults).suggest(dataset);
    Path file = dir.resolve("magnetic_tile-labels.csv");
    LabelFile.write(file, suggestion.rows());
    List<LabelRow> read = LabelFile.read(file);
    Labels labels = LabelValidator.validate(read, dataset);

    assertEquals(392, read.size());
    assertEquals(suggestion.rows(), read);
    assertEquals(List.of(), labels.problems());
    assertEquals(List.of(), labels.unlabelled());
    LabelSuggester.Summary summary = suggestion.summary();
    assertEquals(0, summary.rowsWithoutDefault(), summary.describe());
    assertEquals(0, summary.rowsWithoutBackground(), summary.describe());
    assertEquals(4, summary.emptyMasks(), summary.describe());
    assertEquals(Map.of(DefectCategory.STRUCTURAL, 256, DefectCategory.SURFACE, 134,
        DefectCategory.CONTAMINATION, 0, DefectCategory.COMBINED, 2), summary.rowsPerCategory());
    assertEquals(2, summary.combinedProposals());
    assertEquals(List.of(), summary.unreadableMasks());
    for (LabelRow row : read) {
      String type = row.path().split("/")[1];
      DefaultCategories.Entry entry = defaults.find("magnetic_tile", type).orElseThrow();
      assertEquals(Background.WITHOUT, row.background(), row.path());
      assertTrue(row.category() == entry.category() || row.category() == DefectCategory.COMBINED,
          row.path() + " " + row.category());
      assertTrue(row.note().contains("default for defect type " + type + ": "), row.note());
    }
  }
}
