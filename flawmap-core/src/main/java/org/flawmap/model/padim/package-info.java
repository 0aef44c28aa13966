/**
 * PaDiM (Defard et al., 2020): a Gaussian per patch position fitted in one streaming pass, and
 * the Mahalanobis distance as the anomaly score. See {@link org.flawmap.model.padim.PadimModel}
 * for the shapes and {@link org.flawmap.model.padim.PadimOptions} for the defaults.
 */
package org.flawmap.model.padim;
