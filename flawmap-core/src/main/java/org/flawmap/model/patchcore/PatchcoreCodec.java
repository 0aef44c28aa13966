package org.flawmap.model.patchcore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelArchive;
import org.flawmap.model.io.ModelCodec;

/** Stores PatchCore's memory bank (float32, position-major) and settings in a model file. */
public final class PatchcoreCodec implements ModelCodec {

  public static final String TYPE = PatchcoreModel.TYPE;
  static final String BANK = "patchcore/bank.f32";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void write(AnomalyModel model, ObjectNode config, ModelArchive.Writer out)
      throws IOException {
    PatchcoreModel patchcore = (PatchcoreModel) model;
    PatchcoreOptions options = patchcore.options();
    ArrayNode stages = config.putArray("stages");
    ArrayNode names = config.putArray("stage_names");
    for (int s : options.stages()) {
      stages.add(s);
      names.add(patchcore.backbone().stages().get(s).name());
    }
    config.put("feature_dimension", patchcore.dimension());
    config.put("requested_dimension", options.featureDimension());
    config.put("bank_size", patchcore.bankSize());
    config.put("coreset_ratio", options.coresetRatio());
    config.put("max_bank", options.maxBank());
    config.put("max_candidates", options.maxCandidates());
    config.put("projection_dimension", options.projectionDimension());
    config.put("neighbours", options.neighbours());
    config.put("blur_sigma", options.blurSigma());
    config.put("seed", options.seed());
    config.put("training_images", patchcore.trainingImages());
    config.put("training_patches", patchcore.trainingPatches());
    config.put("grid_width", patchcore.gridWidth());
    config.put("grid_height", patchcore.gridHeight());
    out.putFloats(BANK, patchcore.bank());
  }

  @Override
  public AnomalyModel read(JsonNode config, BackboneInfo backbone, ModelArchive.Reader in) {
    List<Integer> stages = new ArrayList<>();
    config.get("stages").forEach(s -> stages.add(s.asInt()));
    PatchcoreOptions options =
        new PatchcoreOptions(
            stages,
            config.get("requested_dimension").asInt(),
            config.get("coreset_ratio").asDouble(),
            config.get("max_bank").asInt(),
            config.get("max_candidates").asInt(),
            config.get("projection_dimension").asInt(),
            config.get("neighbours").asInt(),
            config.get("blur_sigma").asDouble(),
            config.get("seed").asLong());
    int d = config.get("feature_dimension").asInt();
    int size = config.get("bank_size").asInt();
    PatchcoreModel model =
        PatchcoreModel.of(
            backbone,
            options,
            in.floats(BANK, size * d),
            config.get("training_images").asInt(),
            config.get("training_patches").asLong());
    if (model.dimension() != d) {
      throw new IllegalArgumentException(
          "PatchCore feature dimension %d does not match the %d channels of stages %s"
              .formatted(d, model.dimension(), stages));
    }
    return model;
  }
}
