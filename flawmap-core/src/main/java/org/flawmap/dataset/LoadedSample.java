package org.flawmap.dataset;

import org.flawmap.image.RgbImage;

/**
 * A sample with its decoded image and, for an anomalous sample, its binary mask.
 *
 * @param sample the listed sample
 * @param image decoded image
 * @param mask ground-truth mask of the image's size, or null for a normal sample
 */
public record LoadedSample(Sample sample, RgbImage image, Mask mask) {

  public LoadedSample {
    if (mask != null && (mask.width() != image.width() || mask.height() != image.height())) {
      throw new IllegalArgumentException(
          "mask of %s is %d×%d but the image is %d×%d"
              .formatted(sample.id(), mask.width(), mask.height(), image.width(),
                  image.height()));
    }
    if (sample.anomalous() && mask == null) {
      throw new IllegalArgumentException("anomalous sample " + sample.id() + " needs a mask");
    }
  }

  /**
   * Returns whether this anomalous sample's mask has no defective pixel. Such a sample counts
   * for image-level metrics, and callers leave it out of pixel-level metrics because its mask
   * cannot locate the defect. Always false for a normal sample.
   */
  public boolean maskEmpty() {
    return sample.anomalous() && mask.isEmpty();
  }

  /** Returns the mask, or an all-normal mask of the image's size for a normal sample. */
  public Mask maskOrEmpty() {
    return mask != null ? mask : Mask.empty(image.width(), image.height());
  }
}
