/**
 * CFLOW-AD (Gudovskiy et al., WACV 2022): per-stage conditional normalizing flows over frozen
 * backbone features, trained by maximum likelihood on defect-free images. The anomaly map is
 * the per-cell likelihood deficit relative to a constant measured on the training images.
 */
package org.flawmap.djl.cflow;
