package org.flawmap.djl.reconstruction;

import static org.flawmap.djl.train.JsonNumbers.addNumber;
import static org.flawmap.djl.train.JsonNumbers.doubles;
import static org.flawmap.djl.train.JsonNumbers.putNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.train.CommonOptions;
import org.flawmap.djl.train.TrainingResult;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelArchive;
import org.flawmap.model.io.ModelCodec;

/**
 * Stores the feature autoencoder in a model file: the settings and the training run under the
 * config, the weights as {@link ai.djl.nn.Block#saveParameters} writes them, and the channel
 * statistics as float32 arrays.
 */
public final class FeatureAutoencoderCodec implements ModelCodec {

  static final String WEIGHTS = "feature-ae/weights.bin";
  static final String MEAN = "feature-ae/channel_mean.f32";
  static final String STD = "feature-ae/channel_std.f32";

  @Override
  public String type() {
    return FeatureAutoencoderModel.TYPE;
  }

  @Override
  public void write(AnomalyModel model, ObjectNode config, ModelArchive.Writer out)
      throws IOException {
    FeatureAutoencoderModel ae = (FeatureAutoencoderModel) model;
    ReconstructionOptions options = ae.options();
    config.put("grid_stride", options.gridStride());
    config.put("grid_width", ae.gridWidth());
    config.put("grid_height", ae.gridHeight());
    config.put("channels", ae.stats().channels());
    config.put("hidden_channels", options.hiddenChannels());
    config.put("latent_channels", options.latentChannels());
    options.common().write(config);
    config.put("seed", options.seed());
    config.put("training_images", ae.trainingImages());

    TrainingResult training = ae.training();
    ObjectNode run = config.putObject("training");
    run.put("epochs", training.epochs());
    run.put("best_epoch", training.bestEpoch());
    putNumber(run, "best_validation", training.bestValidation());
    run.put("stop_reason", training.stopReason());
    run.put("resumed_epochs", training.resumedEpochs());
    run.put("seconds", training.seconds());
    ArrayNode losses = run.putArray("train_loss");
    training.trainLoss().forEach(v -> addNumber(losses, v));
    ArrayNode validation = run.putArray("validation");
    training.validation().forEach(v -> addNumber(validation, v));

    out.putBytes(WEIGHTS, ae.weights());
    out.putFloats(MEAN, ae.stats().mean());
    out.putFloats(STD, ae.stats().std());
  }

  @Override
  public AnomalyModel read(JsonNode config, BackboneInfo backbone, ModelArchive.Reader in)
      throws IOException {
    ReconstructionOptions options =
        ReconstructionOptions.of(
            CommonOptions.read(config, FeatureAutoencoderModel.TYPE),
            required(config, "grid_stride").asInt(),
            required(config, "hidden_channels").asInt(),
            required(config, "latent_channels").asInt(),
            required(config, "seed").asLong());
    int channels = required(config, "channels").asInt();
    ChannelStats stats = new ChannelStats(in.floats(MEAN, channels), in.floats(STD, channels));

    JsonNode run = config.path("training");
    TrainingResult training =
        new TrainingResult(
            run.path("epochs").asInt(),
            run.path("best_epoch").asInt(),
            run.path("best_validation").asDouble(Double.NaN),
            List.copyOf(doubles(run.path("train_loss"))),
            List.copyOf(doubles(run.path("validation"))),
            run.path("stop_reason").asText("unknown"),
            run.path("resumed_epochs").asInt(),
            run.path("seconds").asDouble(Double.NaN));
    return new FeatureAutoencoderModel(
        backbone, options, stats, in.bytes(WEIGHTS), required(config, "training_images").asInt(),
        training);
  }

  private static JsonNode required(JsonNode config, String name) {
    return CommonOptions.required(config, FeatureAutoencoderModel.TYPE, name);
  }
}
