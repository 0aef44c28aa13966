package org.flawmap.dataset;

import java.nio.file.Path;

/**
 * One image of a dataset.
 *
 * @param id path of the image relative to the dataset root, with forward slashes; unique
 * @param image image file
 * @param mask ground-truth mask file, or null for a normal image
 * @param defectType the original defect type (the MVTec AD subfolder), {@code good} for normal
 * @param anomalous whether the image shows a defect
 */
public record Sample(String id, Path image, Path mask, String defectType, boolean anomalous) {

  public static final String GOOD = "good";
}
