package org.flawmap.inference;

import org.flawmap.anomalymap.AnomalyMap;

/**
 * The result of inspecting one image.
 *
 * @param anomalyMap scores at the image's own resolution
 * @param imageScore the model's image score ({@link org.flawmap.model.AnomalyModel#score}),
 *     which for PaDiM is the maximum of the map at the model's input resolution
 * @param anomalous whether {@code imageScore} reaches the image threshold
 * @param pixelThreshold the threshold that turns the map into the predicted mask
 */
public record Inspection(
    AnomalyMap anomalyMap, double imageScore, boolean anomalous, double pixelThreshold) {

  /** Returns the predicted mask: true where the score is at least the pixel threshold. */
  public boolean[] predMask() {
    float[] v = anomalyMap.values();
    boolean[] mask = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      mask[i] = v[i] >= pixelThreshold;
    }
    return mask;
  }
}
