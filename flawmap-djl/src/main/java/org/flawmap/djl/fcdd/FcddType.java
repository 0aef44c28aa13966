package org.flawmap.djl.fcdd;

import java.nio.file.Path;
import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.io.ModelCodec;

/** FCDD as a {@link ModelType}, registered through {@link java.util.ServiceLoader}. */
public final class FcddType implements ModelType {

  public static final String NAME = FcddModel.TYPE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "FCDD (Liznerski et al., 2021): a fully convolutional one-class head whose output map"
        + " is the explanation, trained on feature-space cut-paste pseudo-anomalies";
  }

  @Override
  public Set<String> optionNames() {
    return Set.of(
        "epochs", "batch_size", "learning_rate", "patience", "time_limit", "checkpoint",
        "blur_sigma", "hidden_channels", "grid_stride", "anomaly_fraction", "patch_min_size",
        "patch_max_size");
  }

  @Override
  public void validate(ModelParameters options) {
    options(options, 0L);
  }

  @Override
  public ModelFitter fitter(BackboneInfo backbone, ModelParameters options, long seed) {
    return new FcddFitter(backbone, options(options, seed));
  }

  @Override
  public ModelCodec codec() {
    return new FcddCodec();
  }

  /**
   * Builds FCDD's settings, taking the defaults for options left out.
   *
   * @throws IllegalArgumentException naming an unknown or invalid option
   */
  public static FcddOptions options(ModelParameters p, long seed) {
    Set<String> known = new FcddType().optionNames();
    for (String name : p.values().keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown model option %s for fcdd; known options: %s"
                .formatted(name, String.join(", ", new java.util.TreeSet<>(known))));
      }
    }
    FcddOptions d = FcddOptions.DEFAULTS;
    String checkpoint = p.text("checkpoint", null);
    return new FcddOptions(
        p.integer("epochs", d.epochs()),
        p.integer("batch_size", d.batchSize()),
        p.number("learning_rate", d.learningRate()),
        p.integer("patience", d.patience()),
        p.number("time_limit", d.timeLimitSeconds()),
        checkpoint == null || checkpoint.isBlank() ? null : Path.of(checkpoint),
        p.number("blur_sigma", d.blurSigma()),
        p.integer("hidden_channels", d.hiddenChannels()),
        p.integer("grid_stride", d.gridStride()),
        p.number("anomaly_fraction", d.anomalyFraction()),
        p.integer("patch_min_size", d.patchMinSize()),
        p.integer("patch_max_size", d.patchMaxSize()),
        seed);
  }
}
