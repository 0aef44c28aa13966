package org.flawmap.djl.fcdd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.djl.train.CommonOptions;
import org.flawmap.djl.train.JsonNumbers;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelArchive;
import org.flawmap.model.io.ModelCodec;

/**
 * Stores an FCDD model: the head's weights as DJL writes them, the per-channel statistics as
 * float32 arrays, and the settings and training provenance in the model's config.
 */
public final class FcddCodec implements ModelCodec {

  private static final String WEIGHTS = "fcdd/head.params";
  private static final String MEAN = "fcdd/channel_mean.f32";
  private static final String STD = "fcdd/channel_std.f32";

  @Override
  public String type() {
    return FcddModel.TYPE;
  }

  @Override
  public void write(AnomalyModel model, ObjectNode config, ModelArchive.Writer out)
      throws IOException {
    FcddModel fcdd = (FcddModel) model;
    FcddOptions o = fcdd.options();
    config.put("hidden_channels", o.hiddenChannels());
    config.put("grid_stride", o.gridStride());
    config.put("grid_width", fcdd.gridWidth());
    config.put("grid_height", fcdd.gridHeight());
    config.put("channels", fcdd.channelMean().length);
    o.common().write(config);
    config.put("anomaly_fraction", o.anomalyFraction());
    config.put("patch_min_size", o.patchMinSize());
    config.put("patch_max_size", o.patchMaxSize());
    config.put("seed", o.seed());

    FcddTraining t = fcdd.training();
    ObjectNode training = config.putObject("training");
    training.put("training_images", t.trainingImages());
    training.put("validation_images", t.validationImages());
    training.put("epochs", t.epochs());
    training.put("best_epoch", t.bestEpoch());
    JsonNumbers.putNumber(training, "best_validation_loss", t.bestValidation());
    training.put("stop_reason", t.stopReason());
    training.put("seconds", t.seconds());

    out.putBytes(WEIGHTS, fcdd.weights());
    out.putFloats(MEAN, fcdd.channelMean());
    out.putFloats(STD, fcdd.channelStd());
  }

  @Override
  public AnomalyModel read(JsonNode config, BackboneInfo backbone, ModelArchive.Reader in)
      throws IOException {
    FcddOptions options =
        FcddOptions.of(
            CommonOptions.read(config, FcddModel.TYPE),
            config.get("hidden_channels").asInt(),
            config.get("grid_stride").asInt(),
            config.get("anomaly_fraction").asDouble(),
            config.get("patch_min_size").asInt(),
            config.get("patch_max_size").asInt(),
            config.get("seed").asLong());
    int channels = config.get("channels").asInt();
    JsonNode t = config.get("training");
    FcddTraining training =
        new FcddTraining(
            t.get("training_images").asInt(),
            t.get("validation_images").asInt(),
            t.get("epochs").asInt(),
            t.get("best_epoch").asInt(),
            t.get("best_validation_loss").asDouble(Double.NaN),
            t.get("stop_reason").asText(),
            t.get("seconds").asDouble());
    return new FcddModel(
        backbone, options, in.floats(MEAN, channels), in.floats(STD, channels),
        in.bytes(WEIGHTS), training);
  }
}
