package org.flawmap.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * The images of one product, split as the files on disk say.
 *
 * @param root dataset folder
 * @param product product name, by default the folder name
 * @param train defect-free training images
 * @param validation validation images from the dataset's own validation folder, or empty when it
 *     has none (then {@code ValidationSplit} carves one out of {@code test})
 * @param test test images, normal and anomalous
 * @param maskThreshold the mask value (0..255) from which a mask pixel counts as defective, see
 *     {@link MaskReader}: {@value MaskReader#DEFAULT_THRESHOLD} for masks drawn as 0 and 255,
 *     1 for masks that store small region labels (raw VisA)
 */
public record Dataset(
    Path root,
    String product,
    List<Sample> train,
    List<Sample> validation,
    List<Sample> test,
    int maskThreshold) {

  public Dataset {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
    if (maskThreshold < 1 || maskThreshold > 255) {
      throw new IllegalArgumentException(
          "mask threshold must be in 1..255, found " + maskThreshold);
    }
  }

  /** Creates a dataset whose masks use the default threshold of {@link MaskReader}. */
  public Dataset(
      Path root, String product, List<Sample> train, List<Sample> validation, List<Sample> test) {
    this(root, product, train, validation, test, MaskReader.DEFAULT_THRESHOLD);
  }
}
