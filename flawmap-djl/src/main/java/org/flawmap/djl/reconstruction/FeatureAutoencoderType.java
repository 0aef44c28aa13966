package org.flawmap.djl.reconstruction;

import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.djl.train.CommonOptions;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.io.ModelCodec;

/** The feature autoencoder as a {@link ModelType}, registered through the service loader. */
public final class FeatureAutoencoderType implements ModelType {

  public static final String NAME = FeatureAutoencoderModel.TYPE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "feature autoencoder (after DFR, Shi et al., 2021): squared error of reconstructed"
        + " backbone features";
  }

  @Override
  public Set<String> optionNames() {
    return CommonOptions.namesWith("latent_channels", "hidden_channels", "grid_stride");
  }

  @Override
  public void validate(ModelParameters options) {
    options(options, 0L);
  }

  @Override
  public ModelFitter fitter(BackboneInfo backbone, ModelParameters options, long seed) {
    return new FeatureAutoencoderFitter(backbone, options(options, seed));
  }

  @Override
  public ModelCodec codec() {
    return new FeatureAutoencoderCodec();
  }

  /** Builds the settings, taking the defaults of {@link ReconstructionOptions} for the rest. */
  public static ReconstructionOptions options(ModelParameters p, long seed) {
    // NOTE: unlike FcddType, unknown option names are not rejected here.
    ReconstructionOptions d = ReconstructionOptions.DEFAULTS;
    return ReconstructionOptions.of(
        CommonOptions.parse(p, d.common()),
        p.integer("grid_stride", d.gridStride()),
        p.integer("hidden_channels", d.hiddenChannels()),
        p.integer("latent_channels", d.latentChannels()),
        seed);
  }
}
