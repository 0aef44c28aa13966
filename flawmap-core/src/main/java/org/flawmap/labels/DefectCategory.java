package org.flawmap.labels;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * General kind of a defect, independent of the product, so that results per category can be
 * compared across products. The rules for choosing one are in {@code docs/labels.md}.
 */
public enum DefectCategory {
  /** Shape or geometry changes: missing or broken parts, cracks, holes, bends, cuts. */
  STRUCTURAL("structural"),
  /** Colour, texture or finish changes that leave the shape intact: scratches, stains, prints. */
  SURFACE("surface"),
  /** Foreign material on or in the product: glue, oil, liquid, metal, loose threads. */
  CONTAMINATION("contamination"),
  /** Several defects of different categories in one image. */
  COMBINED("combined");

  private final String value;

  DefectCategory(String value) {
    this.value = value;
  }

  /** Returns the value written in label files, in lower case. */
  public String value() {
    return value;
  }

  /** Returns the category whose {@link #value()} is exactly {@code text}, if any. */
  public static Optional<DefectCategory> fromValue(String text) {
    return Arrays.stream(values()).filter(c -> c.value.equals(text)).findFirst();
  }

  /** Returns the allowed values for messages: {@code structural, surface, ...}. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(DefectCategory::value).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return value;
  }
}
