package org.flawmap.djl.cflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.io.ModelArchive;
import org.flawmap.model.io.ModelCodec;
import org.flawmap.model.io.ModelFileException;

/**
 * Stores CFLOW's settings in the model file's configuration, and its network weights
 * ({@code Block.saveParameters} bytes), per-stage maximum log-likelihoods and per-stage
 * channel statistics as entries. The statistics of all selected stages are concatenated in
 * stage order, one float per channel.
 */
public final class CflowCodec implements ModelCodec {

  static final String WEIGHTS = "cflow/weights.bin";
  static final String MAXIMA = "cflow/max_log_likelihood.f32";
  static final String MEAN = "cflow/channel_mean.f32";
  static final String STD = "cflow/channel_std.f32";

  @Override
  public String type() {
    return CflowModel.TYPE;
  }

  @Override
  public void write(AnomalyModel model, ObjectNode config, ModelArchive.Writer out)
      throws IOException {
    CflowModel cflow = (CflowModel) model;
    CflowOptions o = cflow.options();
    ArrayNode stages = config.putArray("stages");
    o.stages().forEach(stages::add);
    config.put("coupling_blocks", o.couplingBlocks());
    config.put("hidden_width", o.hiddenWidth());
    config.put("condition_dim", o.conditionDim());
    config.put("clamp", o.clamp());
    config.put("fiber_batch", o.fiberBatch());
    config.put("epochs", o.epochs());
    config.put("batch_size", o.batchSize());
    config.put("learning_rate", o.learningRate());
    config.put("patience", o.patience());
    config.put("time_limit", o.timeLimitSeconds());
    if (o.checkpoint() != null) {
      config.put("checkpoint", o.checkpoint().toString());
    }
    config.put("blur_sigma", o.blurSigma());
    config.put("seed", o.seed());

    CflowModel.Training t = cflow.training();
    ObjectNode training = config.putObject("training");
    training.put("training_images", t.trainingImages());
    training.put("validation_images", t.validationImages());
    training.put("epochs", t.epochs());
    training.put("best_epoch", t.bestEpoch());
    if (Double.isNaN(t.bestValidation())) {
      training.putNull("best_validation");
    } else {
      training.put("best_validation", t.bestValidation());
    }
    training.put("stop_reason", t.stopReason());
    training.put("seconds", t.seconds());

    out.putBytes(WEIGHTS, cflow.weights());
    out.putFloats(MAXIMA, cflow.maxLogLikelihood());
    out.putFloats(MEAN, concatenate(cflow.channelStats(), true));
    out.putFloats(STD, concatenate(cflow.channelStats(), false));
  }

  @Override
  public AnomalyModel read(JsonNode config, BackboneInfo backbone, ModelArchive.Reader in)
      throws IOException {
    List<Integer> stages = new ArrayList<>();
    config.get("stages").forEach(s -> stages.add(s.asInt()));
    JsonNode checkpoint = config.get("checkpoint");
    CflowOptions options =
        new CflowOptions(
            stages,
            config.get("coupling_blocks").asInt(),
            config.get("hidden_width").asInt(),
            config.get("condition_dim").asInt(),
            config.get("clamp").asDouble(),
            config.get("fiber_batch").asInt(),
            config.get("epochs").asInt(),
            config.get("batch_size").asInt(),
            config.get("learning_rate").asDouble(),
            config.get("patience").asInt(),
            config.get("time_limit").asDouble(),
            checkpoint == null ? null : Path.of(checkpoint.asText()),
            config.get("blur_sigma").asDouble(),
            config.get("seed").asLong());
    JsonNode t = config.get("training");
    CflowModel.Training training =
        new CflowModel.Training(
            t.get("training_images").asInt(),
            t.get("validation_images").asInt(),
            t.get("epochs").asInt(),
            t.get("best_epoch").asInt(),
            t.get("best_validation").asDouble(Double.NaN),
            t.get("stop_reason").asText(),
            t.get("seconds").asDouble());
    return CflowModel.load(
        backbone, options, in.bytes(WEIGHTS), readStats(backbone, stages, in),
        in.floats(MAXIMA, stages.size()), training);
  }

  /**
   * Reads the per-stage channel statistics. Files written before CFLOW normalised its inputs
   * lack them, and their weights were trained on raw features, so they are rejected.
   */
  private static List<ChannelStats> readStats(
      BackboneInfo backbone, List<Integer> stages, ModelArchive.Reader in) {
    if (!in.has(MEAN) || !in.has(STD)) {
      throw new ModelFileException(
          ("model file %s is a CFLOW model saved without channel statistics (entry %s), from a"
                  + " version that trained on raw features; fit the model again")
              .formatted(in.file(), MEAN));
    }
    int[] channels = CflowModel.stageChannels(backbone, stages);
    int total = Arrays.stream(channels).sum();
    float[] mean = in.floats(MEAN, total);
    float[] std = in.floats(STD, total);
    List<ChannelStats> stats = new ArrayList<>();
    int offset = 0;
    for (int c : channels) {
      stats.add(
          new ChannelStats(
              Arrays.copyOfRange(mean, offset, offset + c),
              Arrays.copyOfRange(std, offset, offset + c)));
      offset += c;
    }
    return stats;
  }

  private static float[] concatenate(List<ChannelStats> stats, boolean mean) {
    int total = stats.stream().mapToInt(ChannelStats::channels).sum();
    float[] out = new float[total];
    int offset = 0;
    for (ChannelStats s : stats) {
      float[] values = mean ? s.mean() : s.std();
      System.arraycopy(values, 0, out, offset, values.length);
      offset += values.length;
    }
    return out;
  }
}
