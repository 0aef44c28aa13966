/**
 * PatchCore (Roth et al., CVPR 2022): a memory bank of locally aware patch features, reduced
 * by greedy coreset selection, and the distance to the nearest bank patch as the anomaly
 * score. See {@link org.flawmap.model.patchcore.PatchcoreModel} for the shapes and scores and
 * {@link org.flawmap.model.patchcore.PatchcoreOptions} for the defaults.
 */
package org.flawmap.model.patchcore;
