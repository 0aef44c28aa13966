package org.flawmap.model.padim;

import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.io.ModelCodec;

/** PaDiM as a {@link ModelType}, with the option names of docs/benchmark.md. */
public final class PadimType implements ModelType {

  public static final String NAME = PadimModel.TYPE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "PaDiM (Defard et al., 2020): a Gaussian per patch position, Mahalanobis distance";
  }

  @Override
  public Set<String> optionNames() {
    return Set.of("dimension", "epsilon", "blur_sigma");
  }

  @Override
  public void validate(ModelParameters options) {
    options(options, 0L);
  }

  @Override
  public ModelFitter fitter(BackboneInfo backbone, ModelParameters options, long seed) {
    return new PadimFitter(backbone, options(options, seed));
  }

  @Override
  public ModelCodec codec() {
    return new PadimCodec();
  }

  /** Builds PaDiM's settings, taking the defaults for options left out. */
  public static PadimOptions options(ModelParameters p, long seed) {
    PadimOptions d = PadimOptions.DEFAULTS;
    return new PadimOptions(
        p.integer("dimension", d.featureDimension()),
        p.number("epsilon", d.epsilon()),
        p.number("blur_sigma", d.blurSigma()),
        seed);
  }
}
