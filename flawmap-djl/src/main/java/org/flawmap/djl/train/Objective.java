package org.flawmap.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The loss that a {@link TrainingLoop} minimises, and the figure it stops early on. */
public interface Objective {

  /**
   * Computes the mean loss of one batch in training mode, as a scalar that autograd can
   * differentiate.
   *
   * @param manager manager for the batch's arrays, closed after the optimiser step
   * @param batch indices of the training samples in this batch
   */
  NDArray loss(NDManager manager, int[] batch);

  /**
   * Computes the validation figure, lower is better (for example the mean negative
   * log-likelihood of the defect-free validation images), without gradients. Returns NaN when
   * there is no validation data, which turns early stopping off.
   */
  double validate(NDManager manager);
}
