package org.flawmap.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.MvtecReader;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSuggesterTest {

  private static final int SIZE = 64;
  private static final String CRACK_DEFAULT =
      "default for defect type crack: structural (crack in the tile)";

  @TempDir
  Path dir;

  /** A disk of radius 6 around (20, 20): compact, elongation about 1. */
  private static final BiPredicate<Integer, Integer> BLOB = (x, y) -> {
    double dx = x + 0.5 - 20;
    double dy = y + 0.5 - 20;
    return dx * dx + dy * dy <= 36;
  };

  /** A disk of radius 14 around (20, 20): compact, more than 10 times the area of HAIRLINE. */
  private static final BiPredicate<Integer, Integer> BIG_BLOB = (x, y) -> {
    double dx = x + 0.5 - 20;
    double dy = y + 0.5 - 20;
    return dx * dx + dy * dy <= 196;
  };

  /** A line 40 pixels long and 2 wide: 80 pixels, elongation exactly 20. */
  private static final BiPredicate<Integer, Integer> LINE =
      (x, y) -> x >= 10 && x < 50 && y >= 50 && y < 52;

  /** A line 30 pixels long and 1 wide: 30 pixels, elongation exactly 30. */
  private static final BiPredicate<Integer, Integer> HAIRLINE =
      (x, y) -> x >= 10 && x < 40 && y == 58;

  private static final BiPredicate<Integer, Integer> NOTHING = (x, y) -> false;

  private static int area(BiPredicate<Integer, Integer> shape) {
    int count = 0;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        count += shape.test(x, y) ? 1 : 0;
      }
    }
    return count;
  }

  /** Writes an image and its mask, drawn by {@code shape}, under {@code root}. */
  private static void addDefect(
      Path root, String split, String type, String stem, BiPredicate<Integer, Integer> shape) {
    TestImages.writeConstantGray(root.resolve(split + "/" + type + "/" + stem + ".png"),
        SIZE, SIZE, 90);
    int[] values = new int[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        values[y * SIZE + x] = shape.test(x, y) ? 255 : 0;
      }
    }
    TestImages.write(TestImages.gray(SIZE, SIZE, values),
        root.resolve("ground_truth/" + type + "/" + stem + "_mask.png"));
  }

  private static Path writeNormals(Path root) {
    TestImages.writeConstantGray(root.resolve("train/good/000.png"), SIZE, SIZE, 90);
    TestImages.writeConstantGray(root.resolve("test/good/000.png"), SIZE, SIZE, 90);
    return root;
  }

  /** Draws a tree of a product in the built-in mapping, with a case for every rule. */
  private Dataset drawnDataset() throws IOException {
    Path root = writeNormals(dir.resolve("magnetic_tile"));
    addDefect(root, "test", "crack", "000", BLOB);
    addDefect(root, "test", "crack", "001", BIG_BLOB.or(HAIRLINE));
    addDefect(root, "test", "crack", "002", NOTHING);
    addDefect(root, "test", "crack", "003", LINE.or((x, y) -> x >= 5 && x < 7 && y < 2));
    addDefect(root, "test", "crack", "004",
        BLOB.or((x, y) -> x >= 40 && x < 45 && y >= 10 && y < 15));
    addDefect(root, "test", "crack", "005", LINE.or(BLOB));
    addDefect(root, "test", "dent", "000", BLOB);
    addDefect(root, "test", "dent", "001", BIG_BLOB.or(HAIRLINE));
    addDefect(root, "validation", "blowhole", "v000", BLOB);
    TestImages.writeConstantGray(root.resolve("test/uneven/000.png"), SIZE, SIZE, 90);
    Files.createDirectories(root.resolve("ground_truth/uneven"));
    Files.writeString(root.resolve("ground_truth/uneven/000_mask.png"), "not an image");
    return new MvtecReader().read(root);
  }

  @Test
  void suggestAppliesEveryRule() throws IOException {
    Dataset dataset = drawnDataset();
    String blob = "1 component (area %d px; elongation 1.0)".formatted(area(BLOB));
    String combined = "2 components (areas %d, 30 px; elongations 1.0, 30.0), a thin and a "
        .formatted(area(BIG_BLOB)) + "compact one of very different area";

    LabelSuggester.Suggestion suggestion = new LabelSuggester().suggest(dataset);

    List<LabelRow> rows = suggestion.rows();
    assertEquals(List.of("test/crack/000.png", "test/crack/001.png", "test/crack/002.png",
        "test/crack/003.png", "test/crack/004.png", "test/crack/005.png", "test/dent/000.png",
        "test/dent/001.png", "test/uneven/000.png", "validation/blowhole/v000.png"),
        rows.stream().map(LabelRow::path).toList());
    for (LabelRow row : rows) {
      assertEquals("magnetic_tile", row.product(), row.path());
      assertEquals(Background.WITHOUT, row.background(), row.path());
    }

    assertEquals(DefectCategory.STRUCTURAL, rows.get(0).category());
    assertEquals("suggested: " + blob + "; " + CRACK_DEFAULT, rows.get(0).note());

    assertEquals(DefectCategory.COMBINED, rows.get(1).category());
    assertEquals("suggested combined: " + combined + "; " + CRACK_DEFAULT, rows.get(1).note());

    assertEquals(DefectCategory.STRUCTURAL, rows.get(2).category());
    assertEquals("mask is empty; " + CRACK_DEFAULT, rows.get(2).note());

    // A 4-pixel speck is below the minimum area, so it cannot make the line combined.
    assertEquals(DefectCategory.STRUCTURAL, rows.get(3).category());
    assertTrue(rows.get(3).note().startsWith("suggested: 2 components (areas 80, 4 px;"),
        rows.get(3).note());

    // Two compact blobs of very different area are one kind of defect.
    assertEquals(DefectCategory.STRUCTURAL, rows.get(4).category());
    assertTrue(rows.get(4).note().startsWith("suggested: 2 components (areas %d, 25 px; "
        .formatted(area(BLOB))), rows.get(4).note());

    // A thin line and a compact blob of similar area: the same kind of defect.
    assertEquals(DefectCategory.STRUCTURAL, rows.get(5).category());
    assertEquals("suggested: 2 components (areas %d, 80 px; elongations 1.0, 20.0); "
        .formatted(area(BLOB)) + CRACK_DEFAULT, rows.get(5).note());

    assertEquals(DefectCategory.SURFACE, rows.get(6).category());
    assertEquals("suggested: " + blob + "; no default for defect type dent; surface is the "
        + "fallback; please confirm", rows.get(6).note());

    assertEquals(DefectCategory.COMBINED, rows.get(7).category());
    assertEquals("suggested combined: " + combined + "; no default for defect type dent; "
        + "please confirm", rows.get(7).note());

    assertEquals(DefectCategory.SURFACE, rows.get(8).category());
    assertTrue(rows.get(8).note().startsWith("mask could not be read: "), rows.get(8).note());
    assertTrue(rows.get(8).note().endsWith("; default for defect type uneven: surface "
        + "(unevenly ground surface)"), rows.get(8).note());

    assertEquals(DefectCategory.STRUCTURAL, rows.get(9).category());
    assertTrue(rows.get(9).note().endsWith("default for defect type blowhole: structural "
        + "(pits and holes in the tile)"), rows.get(9).note());
  }

  @Test
  void summaryCountsTheRows() throws IOException {
    LabelSuggester.Summary summary = new LabelSuggester().suggest(drawnDataset()).summary();

    assertEquals(10, summary.rows());
    assertEquals(Map.of(DefectCategory.STRUCTURAL, 6, DefectCategory.SURFACE, 2,
        DefectCategory.CONTAMINATION, 0, DefectCategory.COMBINED, 2), summary.rowsPerCategory());
    assertEquals(2, summary.combinedProposals());
    assertEquals(2, summary.rowsWithoutDefault());
    assertEquals(List.of("dent"), summary.typesWithoutDefault());
    assertEquals(0, summary.rowsWithoutBackground());
    assertEquals(1, summary.emptyMasks());
    assertEquals(List.of("test/uneven/000.png"), summary.unreadableMasks());
    assertEquals("""
        rows: 10 (structural 6, surface 2, contamination 0, combined 2)
        combined proposals from the masks: 2
        rows with no default category: 2 (defect types dent)
        rows with no default background: 0
        empty masks: 1, unreadable masks: 1""", summary.describe());
  }

  @Test
  void suggestionPassesValidationAfterRoundTrip() throws IOException {
    Dataset dataset = drawnDataset();
    LabelSuggester.Suggestion suggestion = new LabelSuggester().suggest(dataset);
    Path file = dir.resolve("labels.csv");

    LabelFile.write(file, suggestion.rows());
    Labels labels = LabelValidator.validate(file, dataset);

    assertEquals(suggestion.rows(), labels.rows());
    assertFalse(labels.hasProblems(), labels.report());
    assertTrue(labels.unlabelled().isEmpty(), labels.report());
  }

  @Test
  void unknownProductGetsFallbackBackground() throws IOException {
    Path root = writeNormals(dir.resolve("widget"));
    addDefect(root, "test", "crack", "000", BLOB);
    Dataset dataset = new MvtecReader().read(root);

    LabelSuggester.Suggestion suggestion = new LabelSuggester().suggest(dataset);

    LabelRow row = suggestion.rows().get(0);
    assertEquals(DefectCategory.STRUCTURAL, row.category());
    assertEquals(Background.WITH, row.background());
    assertTrue(row.note().contains("default for defect type crack from products capsule, "
        + "hazelnut, pill, tile, magnetic_tile: structural"), row.note());
    assertTrue(row.note().endsWith("; no default background for product widget: with is the "
        + "fallback; please confirm"), row.note());
    assertEquals(1, suggestion.summary().rowsWithoutBackground());
    assertEquals(0, suggestion.summary().rowsWithoutDefault());
  }

  @Test
  void differentCharacterNeedsThinCompactAndAreaRatio() {
    RegionShape thin = new RegionShape(1, 20, 0, 0, 9, 1, LabelSuggester.THIN_ELONGATION);
    RegionShape compact = new RegionShape(2, 201, 0, 0, 14, 14, LabelSuggester.COMPACT_ELONGATION);
    RegionShape compactTenfold = new RegionShape(3, 200, 0, 0, 14, 14, 1.0);
    RegionShape fairlyThin = new RegionShape(4, 20, 0, 0, 9, 2, 3.99);
    RegionShape fairlyCompact = new RegionShape(5, 500, 0, 0, 30, 15, 2.01);
    RegionShape thinSpeck = new RegionShape(6, 19, 0, 0, 18, 0, 19.0);
    RegionShape bigThin = new RegionShape(7, 2500, 0, 0, 199, 11, 16.0);
    RegionShape compactSpeck = new RegionShape(8, 19, 0, 0, 4, 3, 1.0);

    assertTrue(LabelSuggester.hasDifferentCharacter(List.of(thin, compact)));
    assertTrue(LabelSuggester.hasDifferentCharacter(List.of(compact, fairlyThin, thin)));
    assertTrue(LabelSuggester.hasDifferentCharacter(List.of(bigThin, compactTenfold)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of(thin, compactTenfold)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of(fairlyThin, compact)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of(bigThin, fairlyCompact)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of(thinSpeck, compact)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of(bigThin, compactSpeck)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of(thin, bigThin)));
    assertFalse(LabelSuggester.hasDifferentCharacter(List.of()));
  }

  @Test
  void describeListsFiveLargestComponents() {
    List<RegionShape> shapes = List.of(
        new RegionShape(1, 5, 0, 0, 0, 0, 1.0),
        new RegionShape(2, 50, 0, 0, 0, 0, 2.5),
        new RegionShape(3, 7, 0, 0, 0, 0, 1.0),
        new RegionShape(4, 300, 0, 0, 0, 0, 12.25),
        new RegionShape(5, 1, 0, 0, 0, 0, 1.0),
        new RegionShape(6, 40, 0, 0, 0, 0, 1.5),
        new RegionShape(7, 7, 0, 0, 0, 0, 3.0));

    assertEquals("7 components (areas 300, 50, 40, 7, 7 px and 2 smaller; elongations 12.3, "
        + "2.5, 1.5, 1.0, 3.0)", LabelSuggester.describe(shapes));
  }
}
