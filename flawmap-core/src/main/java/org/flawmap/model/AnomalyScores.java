package org.flawmap.model;

import org.flawmap.anomalymap.AnomalyMap;

/**
 * The scores of one image.
 *
 * @param map per-pixel anomaly scores
 * @param imageScore the image's anomaly score, on the scale of the model's image threshold
 */
public record AnomalyScores(AnomalyMap map, double imageScore) {}
