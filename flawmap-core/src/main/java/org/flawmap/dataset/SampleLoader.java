package org.flawmap.dataset;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.flawmap.image.GrayImage;
import org.flawmap.image.ImageDecodeException;
import org.flawmap.image.ImageDecoder;
import org.flawmap.image.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes samples one at a time, when the pipeline needs them, and checks each as it loads:
 * the image must decode, an anomalous sample's mask must decode and have the image's size.
 *
 * <p>A bad file is handled by the {@link OnBadFile} policy: {@code FAIL} throws a
 * {@link DatasetException} naming the file, {@code SKIP} logs a warning and records the sample in
 * {@link #skipped()}. An anomalous sample whose mask has no defective pixel is returned with
 * {@link LoadedSample#maskEmpty()} true and a warning naming it, logged once per sample.
 *
 * <p>Thread-safe: several threads may load samples with one loader.
 */
public final class SampleLoader {

  private static final Logger LOG = LoggerFactory.getLogger(SampleLoader.class);

  private final int maskThreshold;
  private final OnBadFile policy;
  private final SkippedFiles skipped = new SkippedFiles();
  private final Set<String> warnedEmptyMasks = ConcurrentHashMap.newKeySet();

  /** Creates a loader that binarises masks with {@code dataset}'s mask threshold. */
  public SampleLoader(Dataset dataset, OnBadFile policy) {
    this(dataset.maskThreshold(), policy);
  }

  /**
   * Creates a loader.
   *
   * @param maskThreshold mask value (1..255) from which a pixel is defective, see
   *     {@link MaskReader}
   */
  public SampleLoader(int maskThreshold, OnBadFile policy) {
    if (maskThreshold < 1 || maskThreshold > 255) {
      throw new IllegalArgumentException(
          "mask threshold must be in 1..255, found " + maskThreshold);
    }
    this.maskThreshold = maskThreshold;
    this.policy = java.util.Objects.requireNonNull(policy, "policy");
  }

  public OnBadFile policy() {
    return policy;
  }

  /** Returns the samples skipped so far under {@link OnBadFile#SKIP}. */
  public SkippedFiles skipped() {
    return skipped;
  }

  /**
   * Decodes the image and mask of {@code sample}.
   *
   * @return the loaded sample, or empty when the policy is {@code SKIP} and a file is bad
   * @throws DatasetException when the policy is {@code FAIL} and a file is bad, naming it
   */
  public Optional<LoadedSample> load(Sample sample) {
    try {
      return Optional.of(loadOrThrow(sample));
    } catch (BadFileException e) {
      if (policy == OnBadFile.FAIL) {
        throw new DatasetException(e.getMessage(), e.getCause());
      }
      LOG.warn("Skipping sample {}: {}", sample.id(), e.getMessage());
      skipped.add(new SkippedFiles.Entry(sample.id(), e.file, e.getMessage()));
      return Optional.empty();
    }
  }

  private LoadedSample loadOrThrow(Sample sample) throws BadFileException {
    RgbImage image;
    try {
      image = ImageDecoder.decode(sample.image());
    } catch (ImageDecodeException e) {
      throw new BadFileException(sample.image(), e.getMessage(), e);
    }
    if (!sample.anomalous()) {
      return new LoadedSample(sample, image, null);
    }
    if (sample.mask() == null) {
      throw new BadFileException(sample.image(),
          "anomalous image %s has no mask file".formatted(sample.image()), null);
    }

    GrayImage values;
    try {
      values = ImageDecoder.decodeMaskValues(sample.mask());
    } catch (ImageDecodeException e) {
      throw new BadFileException(sample.mask(),
          "%s (the mask of %s)".formatted(e.getMessage(), sample.image()), e);
    }
    if (values.width() != image.width() || values.height() != image.height()) {
      String message = MaskReader.sizeMismatchMessage(sample.mask(), values.width(),
          values.height(), sample.image(), image.width(), image.height());
      throw new BadFileException(sample.mask(), message, null);
    }

    Mask mask = MaskReader.binarise(values, maskThreshold);
    LoadedSample loaded = new LoadedSample(sample, image, mask);
    if (loaded.maskEmpty() && warnedEmptyMasks.add(sample.id())) {
      warnEmptyMask(sample, values);
    }
    return loaded;
  }

  private void warnEmptyMask(Sample sample, GrayImage values) {
    int faint = MaskReader.countBelowThreshold(values, maskThreshold);
    if (faint > 0) {
      LOG.warn("Anomalous image {} has an empty mask {}: {} pixels are nonzero but below the"
              + " mask threshold {}; it counts for image-level metrics only. If the masks of"
              + " this dataset store labels such as 1, use mask threshold 1",
          sample.image(), sample.mask(), faint, maskThreshold);
    } else {
      LOG.warn("Anomalous image {} has an all-zero mask {}; it counts for image-level metrics"
          + " only", sample.image(), sample.mask());
    }
  }

  /** A bad image or mask: the file at fault and a message that names it. */
  private static final class BadFileException extends Exception {
    private final transient java.nio.file.Path file;

    BadFileException(java.nio.file.Path file, String message, Throwable cause) {
      super(message, cause);
      this.file = file;
    }
  }
}
