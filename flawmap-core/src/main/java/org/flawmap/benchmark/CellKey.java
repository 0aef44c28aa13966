package org.flawmap.benchmark;

/**
 * The coordinates of one benchmark cell; {@link #fileName} names its result file.
 *
 * @param model the model's label, its type and any options given
 */
record CellKey(String product, String model, String backbone, long seed) {

  /** Returns a file-system-safe name, unique per cell. */
  String fileName() {
    String raw = product + "__" + model + "__" + backbone + "__" + seed;
    return raw.replaceAll("[^A-Za-z0-9._=-]", "_");
  }

  @Override
  public String toString() {
    return product + "/" + model + "/" + backbone + "/seed " + seed;
  }
}
