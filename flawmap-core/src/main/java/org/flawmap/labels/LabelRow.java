package org.flawmap.labels;

import java.util.Objects;

/**
 * One row of a label file: the product-independent labels of one anomalous image.
 *
 * @param path the sample id, the image path relative to the dataset root with forward slashes,
 *     for example {@code test/crack/exp1_num_249594.jpg}
 * @param product product name, as {@code Dataset.product()} reports it
 * @param background whether the image shows a background around the product
 * @param category general defect category
 * @param note free text for the person who labels, empty when there is none (never null)
 */
public record LabelRow(
    String path, String product, Background background, DefectCategory category, String note) {

  public LabelRow {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(category, "category");
    note = note == null ? "" : note;
  }
}
