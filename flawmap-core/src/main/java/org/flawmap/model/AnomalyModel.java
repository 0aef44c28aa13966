package org.flawmap.model;

import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;

/**
 * A fitted, immutable anomaly model that scores backbone features.
 *
 * <p>The map it returns has the backbone's input resolution ({@code inputWidth × inputHeight})
 * and depends on one image only, never on the other images of a batch. Callers resize it to
 * the image's own size with {@link org.flawmap.anomalymap.MapResize}. The image score is the
 * maximum of that map unless the model overrides {@link #score}.
 */
public interface AnomalyModel {

  /** Model type as written in model files, for example {@code padim}. */
  String type();

  BackboneInfo backbone();

  /**
   * Computes the anomaly map of one image.
   *
   * @param features one map per backbone stage, in {@link BackboneInfo#stages} order
   */
  AnomalyMap anomalyMap(FeatureMap[] features);

  /**
   * Computes the anomaly map and the image score of one image in one pass. The default image
   * score is the maximum of the map, and models with their own image score override this.
   *
   * @param features one map per backbone stage, in {@link BackboneInfo#stages} order
   */
  default AnomalyScores score(FeatureMap[] features) {
    AnomalyMap map = anomalyMap(features);
    return new AnomalyScores(map, map.max());
  }
}
