package org.flawmap.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultCategoriesTest {

  /** Defect-type folders of each dataset the built-in mapping must cover. */
  private static final Map<String, List<String>> TYPES = new LinkedHashMap<>();
  private static final List<String> WITHOUT_BACKGROUND = List.of(
      "carpet", "grid", "leather", "tile", "wood", "magnetic_tile", "01", "02", "03");

  static {
    TYPES.put("bottle", List.of("broken_large", "broken_small", "contamination"));
    TYPES.put("cable", List.of("bent_wire", "cable_swap", "combined", "cut_inner_insulation",
        "cut_outer_insulation", "missing_cable", "missing_wire", "poke_insulation"));
    TYPES.put("capsule", List.of("crack", "faulty_imprint", "poke", "scratch", "squeeze"));
    TYPES.put("carpet", List.of("color", "cut", "hole", "metal_contamination", "thread"));
    TYPES.put("grid", List.of("bent", "broken", "glue", "metal_contamination", "thread"));
    TYPES.put("hazelnut", List.of("crack", "cut", "hole", "print"));
    TYPES.put("leather", List.of("color", "cut", "fold", "glue", "poke"));
    TYPES.put("metal_nut", List.of("bent", "color", "flip", "scratch"));
    TYPES.put("pill", List.of("color", "combined", "contamination", "crack", "faulty_imprint",
        "pill_type", "scratch"));
    TYPES.put("screw", List.of("manipulated_front", "scratch_head", "scratch_neck",
        "thread_side", "thread_top"));
    TYPES.put("tile", List.of("crack", "glue_strip", "gray_stroke", "oil", "rough"));
    TYPES.put("toothbrush", List.of("defective"));
    TYPES.put("transistor", List.of("bent_lead", "cut_lead", "damaged_case", "misplaced"));
    TYPES.put("wood", List.of("color", "combined", "hole", "liquid", "scratch"));
    TYPES.put("zipper", List.of("broken_teeth", "combined", "fabric_border", "fabric_interior",
        "rough", "split_teeth", "squeezed_teeth"));
    TYPES.put("01", List.of("ko"));
    TYPES.put("02", List.of("ko"));
    TYPES.put("03", List.of("ko"));
    TYPES.put("magnetic_tile", List.of("blowhole", "break", "crack", "fray", "uneven"));
  }

  @Test
  void builtInCoversEveryKnownDefectType() {
    DefaultCategories defaults = DefaultCategories.builtIn();
    int expectedEntries = 0;

    for (Map.Entry<String, List<String>> dataset : TYPES.entrySet()) {
      Background background = WITHOUT_BACKGROUND.contains(dataset.getKey())
          ? Background.WITHOUT : Background.WITH;
      for (String type : dataset.getValue()) {
        expectedEntries++;
        Optional<DefaultCategories.Entry> entry = defaults.find(dataset.getKey(), type);
        String name = dataset.getKey() + "/" + type;
        assertTrue(entry.isPresent(), name);
        assertEquals(background, entry.get().background(), name);
        assertTrue(!entry.get().sourceNote().isBlank(), name);
        assertEquals(type.equals("combined"), entry.get().category() == DefectCategory.COMBINED,
            name);
      }
    }

    assertEquals(expectedEntries, defaults.entries().size());
  }

  @Test
  void builtInFollowsTheCategoryRules() {
    DefaultCategories defaults = DefaultCategories.builtIn();

    for (DefaultCategories.Entry entry : defaults.entries()) {
      String type = entry.defectType();
      String name = entry.dataset() + "/" + type;
      if (type.matches(".*(crack|hole|broken|bent|cut|missing|poke).*")) {
        assertEquals(DefectCategory.STRUCTURAL, entry.category(), name);
      }
      if (type.matches(".*(contamination|glue|oil|liquid).*|thread")) {
        assertEquals(DefectCategory.CONTAMINATION, entry.category(), name);
      }
      if (type.matches("color|scratch.*|rough|uneven|.*imprint|print")) {
        assertEquals(DefectCategory.SURFACE, entry.category(), name);
      }
    }
  }

  @Test
  void matchUsesExactEntryThenAgreeingProducts() {
    DefaultCategories defaults = DefaultCategories.builtIn();

    DefaultCategories.Match exact = defaults.match("tile", "crack");
    DefaultCategories.Match sameType = defaults.match("widget", "crack");
    DefaultCategories.Match knownProduct = defaults.match("capsule", "dent");

    assertEquals(Optional.of(DefectCategory.STRUCTURAL), exact.category());
    assertEquals(Optional.of(Background.WITHOUT), exact.background());
    assertEquals("default for defect type crack: structural (crack in the tile)",
        exact.explanation());
    assertEquals(Optional.of(DefectCategory.STRUCTURAL), sameType.category());
    assertEquals(Optional.empty(), sameType.background());
    assertEquals("default for defect type crack from products capsule, hazelnut, pill, tile, "
        + "magnetic_tile: structural", sameType.explanation());
    assertEquals(Optional.empty(), knownProduct.category());
    assertEquals(Optional.of(Background.WITH), knownProduct.background());
    assertEquals("no default for defect type dent", knownProduct.explanation());
  }

  @Test
  void matchReportsDisagreeingProducts() {
    DefaultCategories defaults = DefaultCategories.parse(
        "dataset,defect_type,category,background,source_note\n"
            + "a,spot,surface,with,x\n"
            + "b,spot,contamination,without,y\n", "test");

    DefaultCategories.Match match = defaults.match("c", "spot");

    assertEquals(Optional.empty(), match.category());
    assertEquals("no default for defect type spot (products disagree: a surface, "
        + "b contamination)", match.explanation());
  }

  @Test
  void invalidMappingListsEveryProblem() {
    String text = "# comment, with \"quotes\"\n"
        + "dataset,defect_type,category,background,source_note\n"
        + "a,spot,surface,with,x\n"
        + "a,spot,surface,with,again\n"
        + "a,hole,structural,without,other background\n"
        + "b,hole,bad,inside,x\n"
        + ",hole,structural,with\n";

    LabelException e =
        assertThrows(LabelException.class, () -> DefaultCategories.parse(text, "map.csv"));

    assertTrue(e.getMessage().startsWith("invalid mapping file map.csv"), e.getMessage());
    assertEquals(List.of(
        "line 4: dataset a and defect type spot already appear on line 3",
        "line 5: background without differs from background with of dataset a on line 3; one "
            + "dataset has one background",
        "line 6: column 3 (category): invalid value \"bad\"; allowed values: structural, "
            + "surface, contamination, combined",
        "line 6: column 4 (background): invalid value \"inside\"; allowed values: with, without",
        "line 7: has 4 fields, expected 5 (dataset,defect_type,category,background,source_note)"),
        e.problems());
  }
}
