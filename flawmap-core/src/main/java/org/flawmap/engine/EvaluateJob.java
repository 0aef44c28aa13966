package org.flawmap.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.flawmap.backbone.FeatureExtractor;
import org.flawmap.dataset.LoadedSample;
import org.flawmap.dataset.Sample;
import org.flawmap.inference.Inspection;
import org.flawmap.inference.Inspector;
import org.flawmap.metrics.GroupedMetrics;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;

/**
 * Scores test images once and accumulates metrics at one or more thresholds, broken down by
 * group (defect type, and whatever else {@code groupsOf} adds).
 */
public final class EvaluateJob {

  /** A named pixel and image threshold pair to evaluate at. */
  public record Thresholds(String name, float pixel, double image) {}

  /** Receives each test image with its inspection at the model's own calibration. */
  @FunctionalInterface
  public interface ImageSink {
    void accept(LoadedSample sample, Inspection inspection) throws Exception;
  }

  private EvaluateJob() {}

  /** Returns the default grouping: by original defect type. */
  public static List<String> defectTypeGroup(Sample sample) {
    return List.of("defect_type=" + sample.defectType());
  }

  /**
   * Scores {@code samples} with the session's {@link DatasetSession#input} and returns one
   * {@link GroupedMetrics} per threshold pair, in the order given. Maps are compared with the
   * masks at the image's own resolution in every mode. Anomalous images whose masks are empty
   * count at image level only.
   */
  public static Map<String, GroupedMetrics> evaluate(
      DatasetSession session,
      List<Sample> samples,
      FeatureExtractor extractor,
      AnomalyModel model,
      Calibration calibration,
      List<Thresholds> thresholds,
      Function<Sample, List<String>> groupsOf,
      ImageSink sink)
      throws Exception {
    Map<String, GroupedMetrics> metrics = new LinkedHashMap<>();
    for (Thresholds t : thresholds) {
      metrics.put(t.name(), new GroupedMetrics(t.pixel(), t.image()));
    }
    Inspector inspector = new Inspector(model, calibration, session.input());
    session.streamBatches(
        "test",
        samples,
        extractor,
        (batch, features) -> {
          List<Inspection> inspections =
              inspector.inspectBatch(batch.stream().map(LoadedSample::image).toList(), features);
          for (int i = 0; i < batch.size(); i++) {
            LoadedSample loaded = batch.get(i);
            Inspection inspection = inspections.get(i);
            Sample sample = loaded.sample();
            List<String> groups = sample.anomalous() ? groupsOf.apply(sample) : List.of();
            for (GroupedMetrics m : metrics.values()) {
              if (loaded.maskEmpty()) {
                m.addImageOnly(sample.id(), inspection.imageScore(), true, groups);
              } else {
                m.add(
                    sample.id(), inspection.anomalyMap(), loaded.mask(),
                    inspection.imageScore(), sample.anomalous(), groups);
              }
            }
            if (sink != null) {
              sink.accept(loaded, inspection);
            }
          }
        });
    return metrics;
  }
}
