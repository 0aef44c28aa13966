package org.flawmap.backbone;

import java.util.List;

/**
 * A frozen network that turns preprocessed images into multi-stage feature maps.
 *
 * <p>Implementations are thread-safe: several threads may call {@link #extract} at once.
 */
public interface FeatureExtractor extends AutoCloseable {

  BackboneInfo info();

  /**
   * Runs the backbone on a batch.
   *
   * @param inputs one CHW array of 3 × inputHeight × inputWidth per image, already normalised
   *     as {@link BackboneInfo} describes
   * @return for each input, one feature map per stage in the order of {@link BackboneInfo#stages}
   */
  List<FeatureMap[]> extract(List<float[]> inputs);

  @Override
  void close();
}
