/**
 * Feature-space reconstruction (type {@code feature-ae}): a convolutional autoencoder, after DFR
 * (Shi et al., Neurocomputing 2021), trained to reconstruct the backbone features of defect-free
 * images. The squared reconstruction error is the anomaly score. See
 * {@link org.flawmap.djl.reconstruction.FeatureAutoencoderModel} for the pipeline and shapes and
 * {@link org.flawmap.djl.reconstruction.ReconstructionOptions} for the defaults.
 */
package org.flawmap.djl.reconstruction;
