package org.flawmap.model.padim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelArchive;
import org.flawmap.model.io.ModelCodec;

/** Stores PaDiM's channel indices, means and covariance factors in a model file. */
public final class PadimCodec implements ModelCodec {

  public static final String TYPE = PadimModel.TYPE;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void write(AnomalyModel model, ObjectNode config, ModelArchive.Writer out)
      throws IOException {
    PadimModel padim = (PadimModel) model;
    PadimOptions options = padim.options();
    config.put("feature_dimension", padim.channels().length);
    config.put("requested_dimension", options.featureDimension());
    config.put("epsilon", options.epsilon());
    config.put("blur_sigma", options.blurSigma());
    config.put("seed", options.seed());
    config.put("training_images", padim.trainingImages());
    config.put("grid_width", padim.gridWidth());
    config.put("grid_height", padim.gridHeight());
    out.putInts("padim/channels.i32", padim.channels());
    out.putFloats("padim/mean.f32", padim.mean());
    out.putFloats("padim/cholesky.f32", padim.cholesky());
  }

  @Override
  public AnomalyModel read(JsonNode config, BackboneInfo backbone, ModelArchive.Reader in) {
    int d = config.get("feature_dimension").asInt();
    int positions = config.get("grid_width").asInt() * config.get("grid_height").asInt();
    PadimOptions options =
        new PadimOptions(
            config.get("requested_dimension").asInt(),
            config.get("epsilon").asDouble(),
            config.get("blur_sigma").asDouble(),
            config.get("seed").asLong());
    return PadimModel.of(
        backbone,
        options,
        in.ints("padim/channels.i32", d),
        in.floats("padim/mean.f32", positions * d),
        in.floats("padim/cholesky.f32", positions * PackedCholesky.packedSize(d)),
        config.get("training_images").asInt());
  }
}
