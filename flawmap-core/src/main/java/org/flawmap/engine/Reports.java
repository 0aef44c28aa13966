package org.flawmap.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flawmap.dataset.SkippedFiles;
import org.flawmap.model.Calibration;
import org.flawmap.model.io.ModelBundle;

/** Fills the descriptive fields that every report carries beside its metrics. */
public final class Reports {

  private Reports() {}

  /** Adds each skipped file with its sample id and the reason. */
  static void putSkipped(ArrayNode out, DatasetSession session) {
    for (SkippedFiles.Entry e : session.loader().skipped().entries()) {
      ObjectNode entry = out.addObject();
      entry.put("id", e.sampleId());
      entry.put("file", String.valueOf(e.file()));
      entry.put("reason", e.reason());
    }
  }

  /** Adds the split's seed, fraction and validation ids, enough to repeat it. */
  static void putSplit(ObjectNode out, DatasetSession session) {
    out.put("seed", session.split().seed());
    out.put("fraction", session.split().fraction());
    ArrayNode ids = out.putArray("validation_ids");
    session.split().validationIds().forEach(ids::add);
  }

  /** Adds threshold, counts, empty masks, skipped files, split and model identity. */
  public static void describe(
      ObjectNode node, DatasetSession session, ModelBundle bundle, Calibration calibration) {
    node.put("threshold", calibration.pixelThreshold());
    node.put("image_threshold", calibration.imageThreshold());
    node.put("threshold_estimator", calibration.estimator());

    ObjectNode counts = node.putObject("counts");
    long anomalous = session.split().test().stream().filter(s -> s.anomalous()).count();
    counts.put("test_images", session.split().test().size());
    counts.put("anomalous_images", anomalous);
    counts.put("normal_images", session.split().test().size() - anomalous);
    counts.put("validation_images", session.split().validation().size());
    counts.put("empty_mask_images", session.emptyMaskIds().size());
    counts.put("skipped_files", session.loader().skipped().count());

    ArrayNode empty = node.putArray("empty_mask_images");
    session.emptyMaskIds().forEach(empty::add);
    putSkipped(node.putArray("skipped_files"), session);

    ObjectNode split = node.putObject("split");
    putSplit(split, session);
    split.put("repeated_from_model", session.missingValidationIds().isEmpty());
    ArrayNode missing = split.putArray("missing_validation_ids");
    session.missingValidationIds().forEach(missing::add);
    var fitSkipped = bundle.provenance().path("dataset").path("skipped");
    node.set("fit_skipped_files", fitSkipped.isArray() ? fitSkipped : node.arrayNode());

    ObjectNode model = node.putObject("model");
    model.put("type", bundle.model().type());
    model.put("backbone", bundle.model().backbone().id());
    model.put("backbone_sha256", bundle.model().backbone().sha256());
    model.set("provenance", bundle.provenance());
    node.put("dataset", session.dataset().root().toAbsolutePath().toString());
  }
}
