package org.flawmap.model.patchcore;

import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.ModelFitter;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelType;
import org.flawmap.model.io.ModelCodec;

/** PatchCore as a {@link ModelType}, with the option names of docs/benchmark.md. */
public final class PatchcoreType implements ModelType {

  public static final String NAME = PatchcoreModel.TYPE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "PatchCore (Roth et al., 2022): a coreset of patch features, nearest-neighbour distance";
  }

  @Override
  public Set<String> optionNames() {
    return Set.of("stages", "dimension", "coreset_ratio", "max_bank", "max_candidates",
        "projection", "neighbours", "blur_sigma");
  }

  @Override
  public void validate(ModelParameters options) {
    options(options, 0L);
  }

  @Override
  public ModelFitter fitter(BackboneInfo backbone, ModelParameters options, long seed) {
    return new PatchcoreFitter(backbone, options(options, seed));
  }

  @Override
  public ModelCodec codec() {
    return new PatchcoreCodec();
  }

  /** Builds PatchCore's settings, taking the defaults for options left out. */
  public static PatchcoreOptions options(ModelParameters p, long seed) {
    PatchcoreOptions d = PatchcoreOptions.DEFAULTS;
    return new PatchcoreOptions(
        p.integers("stages", d.stages()),
        p.integer("dimension", d.featureDimension()),
        p.number("coreset_ratio", d.coresetRatio()),
        p.integer("max_bank", d.maxBank()),
        p.integer("max_candidates", d.maxCandidates()),
        p.integer("projection", d.projectionDimension()),
        p.integer("neighbours", d.neighbours()),
        p.number("blur_sigma", d.blurSigma()),
        seed);
  }
}
