package org.flawmap.model;

import org.flawmap.backbone.FeatureMap;

/**
 * Fits one model type from the backbone features of defect-free images, delivered one image
 * at a time. Not thread-safe: call {@link #add} from one thread.
 */
public interface ModelFitter {

  /** Model type as written in model files, for example {@code padim}. */
  String type();

  /** Adds one defect-free image's backbone features, one map per stage. */
  void add(FeatureMap[] features);

  /** Returns the number of images added so far. */
  int count();

  /**
   * Returns true when the fitter takes the validation split through {@link #addValidation}
   * before {@link #fit}, for early stopping. Closed-form models (PaDiM, PatchCore) return false.
   */
  default boolean usesValidation() {
    return false;
  }

  /**
   * Adds one validation image's backbone features. The fitter may use them only to decide when
   * to stop training, never as training data.
   *
   * @param anomalous whether the image shows a defect
   */
  default void addValidation(FeatureMap[] features, boolean anomalous) {}

  /** Builds the model from the images added so far. */
  AnomalyModel fit();
}
