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
 */
public record Dataset(
    Path root, String product, List<Sample> train, List<Sample> validation, List<Sample> test) {

  public Dataset {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
  }
}
