package org.flawmap.model;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Scores several backbone inputs in one call. Each result must equal {@link #score} of that
   * input alone, bit for bit, so batching never changes a score. Models override this when one
   * pass over their parameters can serve several inputs, as PaDiM does with its per-position
   * factors. The default scores the inputs one after the other.
   *
   * @param batch one feature set per input, each in {@link BackboneInfo#stages} order
   * @return one result per input, in the same order
   */
  default List<AnomalyScores> scoreBatch(List<FeatureMap[]> batch) {
    List<AnomalyScores> out = new ArrayList<>(batch.size());
    for (FeatureMap[] features : batch) {
      out.add(score(features));
    }
    return out;
  }
}
