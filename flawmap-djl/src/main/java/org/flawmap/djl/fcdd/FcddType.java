package org.flawmap.djl.fcdd;

import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.djl.train.CommonOptions;
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
    return CommonOptions.namesWith(
        "hidden_channels", "grid_stride", "anomaly_fraction", "patch_min_size", "patch_max_size");
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
    CommonOptions.rejectUnknown(p, NAME, new FcddType().optionNames());
    FcddOptions d = FcddOptions.DEFAULTS;
    return FcddOptions.of(
        CommonOptions.parse(p, d.common()),
        p.integer("hidden_channels", d.hiddenChannels()),
        p.integer("grid_stride", d.gridStride()),
        p.number("anomaly_fraction", d.anomalyFraction()),
        p.integer("patch_min_size", d.patchMinSize()),
        p.integer("patch_max_size", d.patchMaxSize()),
        seed);
  }
}
