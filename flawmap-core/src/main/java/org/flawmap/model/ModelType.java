package org.flawmap.model;

import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.model.io.ModelCodec;

/**
 * One kind of anomaly model: how to fit it and how to store it. PaDiM and PatchCore are built
 * in. Other modules add types through {@link java.util.ServiceLoader}, listing their classes in
 * {@code META-INF/services/org.flawmap.model.ModelType}, so that the trainable models and their
 * native engine stay out of the modules that do not need them.
 */
public interface ModelType {

  /** Model type as written in model files and given to {@code --model}, for example {@code padim}. */
  String name();

  /** Returns one line for help texts, naming the model's paper and what its map measures. */
  String summary();

  /** Option names that {@link #fitter} reads, as in docs/benchmark.md. */
  Set<String> optionNames();

  /**
   * Checks option values before any data is read.
   *
   * @throws IllegalArgumentException naming the invalid option and its value
   */
  void validate(ModelParameters options);

  /** Creates a fresh fitter for {@code backbone}; {@code seed} drives every random choice. */
  ModelFitter fitter(BackboneInfo backbone, ModelParameters options, long seed);

  ModelCodec codec();
}
