package org.flawmap.djl.cflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.io.ModelCodec;

/** CFLOW as a {@link ModelType}, registered through {@link java.util.ServiceLoader}. */
public final class CflowType implements ModelType {

  public static final String NAME = CflowModel.TYPE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "CFLOW-AD (Gudovskiy et al., 2022): conditional normalizing flows per stage,"
        + " per-cell likelihood";
  }

  @Override
  public Set<String> optionNames() {
    return Set.of(
        "stages", "coupling_blocks", "hidden_width", "condition_dim", "clamp", "fiber_batch",
        "epochs", "batch_size", "learning_rate", "patience", "time_limit", "checkpoint",
        "blur_sigma");
  }

  @Override
  public void validate(ModelParameters options) {
    options(options, 0L);
  }

  @Override
  public ModelFitter fitter(BackboneInfo backbone, ModelParameters options, long seed) {
    // Without the option every stage of this backbone gets a decoder.
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    for (int s = 0; s < backbone.stages().size(); s++) {
      all.add(s);
    }
    return new CflowFitter(backbone, options(options.withDefault("stages", all), seed));
  }

  @Override
  public ModelCodec codec() {
    return new CflowCodec();
  }

  /** Builds CFLOW's settings, taking the defaults for options left out. */
  public static CflowOptions options(ModelParameters p, long seed) {
    CflowOptions d = CflowOptions.DEFAULTS;
    String checkpoint = p.text("checkpoint", null);
    return new CflowOptions(
        p.integers("stages", d.stages()),
        p.integer("coupling_blocks", d.couplingBlocks()),
        p.integer("hidden_width", d.hiddenWidth()),
        p.integer("condition_dim", d.conditionDim()),
        p.number("clamp", d.clamp()),
        p.integer("fiber_batch", d.fiberBatch()),
        p.integer("epochs", d.epochs()),
        p.integer("batch_size", d.batchSize()),
        p.number("learning_rate", d.learningRate()),
        p.integer("patience", d.patience()),
        p.number("time_limit", d.timeLimitSeconds()),
        checkpoint == null || checkpoint.isBlank() ? null : Path.of(checkpoint),
        p.number("blur_sigma", d.blurSigma()),
        seed);
  }
}
