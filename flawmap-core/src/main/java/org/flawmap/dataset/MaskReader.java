package org.flawmap.dataset;

import java.nio.file.Path;
import org.flawmap.image.GrayImage;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;

/**
 * Reads ground-truth mask files into binary {@link Mask}s.
 *
 * <p>Binarisation rule: a pixel is defective when its mask value is at least the threshold,
 * {@value #DEFAULT_THRESHOLD} by default, that is, when it is closer to white than to black.
 * Masks drawn as 0 and 255 often have anti-aliased edges with values in between (in the Magnetic
 * Tile Defects masks about 0.4% of the pixels lie between 1 and 254). A threshold of 1 would
 * grow every region by its soft edge and 255 would shrink it, and the midpoint keeps the region
 * where the drawn outline lies. Masks that store small labels instead of 255, such as the raw
 * VisA masks, need a threshold of 1 ({@link #NONZERO_THRESHOLD}); their reader sets it on the
 * {@link Dataset}.
 *
 * <p>Values are those of {@link ImageDecoder#decodeMaskValues}: colour masks use the maximum of
 * R, G and B, and 16-bit masks their top 8 bits.
 */
public final class MaskReader {

  /** Threshold for masks drawn as 0 and 255: the midpoint, 128. */
  public static final int DEFAULT_THRESHOLD = 128;

  /** Threshold for masks in which any nonzero value marks a defect. */
  public static final int NONZERO_THRESHOLD = 1;

  private MaskReader() {}

  /** Reads {@code maskFile} with the default threshold of {@value #DEFAULT_THRESHOLD}. */
  public static Mask read(Path maskFile) throws ImageDecodeException {
    return read(maskFile, DEFAULT_THRESHOLD);
  }

  /**
   * Reads {@code maskFile}; a pixel is defective when its value is at least {@code threshold}.
   *
   * @param threshold in 1..255
   */
  public static Mask read(Path maskFile, int threshold) throws ImageDecodeException {
    return binarise(ImageDecoder.decodeMaskValues(maskFile), threshold);
  }

  /**
   * Reads {@code maskFile} and checks that it has the size of the image it belongs to.
   *
   * @throws DatasetException when the sizes differ, naming both files and both sizes
   */
  public static Mask readFor(
      Path maskFile, int threshold, Path imageFile, int imageWidth, int imageHeight)
      throws ImageDecodeException {
    Mask mask = read(maskFile, threshold);
    if (mask.width() != imageWidth || mask.height() != imageHeight) {
      throw new DatasetException(sizeMismatchMessage(
          maskFile, mask.width(), mask.height(), imageFile, imageWidth, imageHeight));
    }
    return mask;
  }

  static String sizeMismatchMessage(
      Path maskFile, int maskWidth, int maskHeight, Path imageFile, int imageWidth,
      int imageHeight) {
    return "mask %s is %d×%d but its image %s is %d×%d; a mask must have the size of its image"
        .formatted(maskFile, maskWidth, maskHeight, imageFile, imageWidth, imageHeight);
  }

  /** Sets each pixel whose value is at least {@code threshold} (1..255) as defective. */
  public static Mask binarise(GrayImage values, int threshold) {
    if (threshold < 1 || threshold > 255) {
      throw new IllegalArgumentException(
          "mask threshold must be in 1..255, found " + threshold);
    }
    byte[] source = values.values();
    boolean[] pixels = new boolean[source.length];
    for (int i = 0; i < source.length; i++) {
      pixels[i] = (source[i] & 0xFF) >= threshold;
    }
    return new Mask(values.width(), values.height(), pixels);
  }

  /**
   * Counts the pixels with a value from 1 to {@code threshold - 1}: nonzero but not defective.
   * A defective image whose mask is empty only because of such values probably needs a lower
   * threshold, and {@link SampleLoader} suggests one in its warning.
   */
  static int countBelowThreshold(GrayImage values, int threshold) {
    int count = 0;
    for (byte value : values.values()) {
      int v = value & 0xFF;
      if (v > 0 && v < threshold) {
        count++;
      }
    }
    return count;
  }
}
