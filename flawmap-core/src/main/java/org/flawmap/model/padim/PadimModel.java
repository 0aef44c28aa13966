package org.flawmap.model.padim;

import java.util.stream.IntStream;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.InputMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.model.AnomalyModel;

/**
 * PaDiM, a Patch Distribution Modeling framework (Defard et al., ICPR 2020,
 * arXiv:2011.08785): one multivariate Gaussian per patch position of the finest feature grid,
 * fitted on defect-free images, and the Mahalanobis distance to it as the anomaly score.
 *
 * <p>Shapes, with {@code P = width × height} positions of the finest stage (56 × 56 for a
 * stride-4 stage at 224 pixels) and {@code d} selected channels:
 *
 * <ul>
 *   <li>{@code channels}: d indices into the concatenated stage channels;
 *   <li>{@code mean}: P × d, position-major;
 *   <li>{@code cholesky}: P packed lower-triangular factors L of {@code Σ + εI = L Lᵀ}, each
 *       {@code d(d+1)/2} floats in column-major order (see {@link PackedCholesky}).
 * </ul>
 *
 * <p>The anomaly map is the distance grid, upsampled bilinearly to the input size and smoothed
 * with a Gaussian of σ = {@code blurSigma} input pixels.
 */
public final class PadimModel implements AnomalyModel {

  public static final String TYPE = "padim";

  private final BackboneInfo backbone;
  private final PadimOptions options;
  private final int[] channels;
  private final float[] mean;
  private final float[] cholesky;
  private final int trainingImages;
  private final PadimEmbedding embedding;
  private final InputMap toInput;

  PadimModel(
      BackboneInfo backbone,
      PadimOptions options,
      int[] channels,
      float[] mean,
      float[] cholesky,
      int trainingImages) {
    this.backbone = backbone;
    this.options = options;
    this.channels = channels.clone();
    this.embedding =
        new PadimEmbedding(
            backbone.stages(), backbone.inputWidth(), backbone.inputHeight(), this.channels);
    int positions = embedding.width() * embedding.height();
    int d = channels.length;
    if (mean.length != positions * d) {
      throw new IllegalArgumentException(
          "PaDiM mean has %d values, expected %d positions × %d channels"
              .formatted(mean.length, positions, d));
    }
    if (cholesky.length != positions * PackedCholesky.packedSize(d)) {
      throw new IllegalArgumentException(
          "PaDiM covariance factors have %d values, expected %d"
              .formatted(cholesky.length, positions * PackedCholesky.packedSize(d)));
    }
    this.mean = mean;
    this.cholesky = cholesky;
    this.trainingImages = trainingImages;
    this.toInput = new InputMap(backbone, options.blurSigma());
  }

  /** Rebuilds a model from the arrays stored in a model file. */
  public static PadimModel of(
      BackboneInfo backbone,
      PadimOptions options,
      int[] channels,
      float[] mean,
      float[] cholesky,
      int trainingImages) {
    return new PadimModel(backbone, options, channels, mean, cholesky, trainingImages);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public BackboneInfo backbone() {
    return backbone;
  }

  public PadimOptions options() {
    return options;
  }

  public int[] channels() {
    return channels.clone();
  }

  /** Returns the stored means (P × d); the array is shared, do not modify it. */
  public float[] mean() {
    return mean;
  }

  /** Returns the stored packed Cholesky factors; the array is shared, do not modify it. */
  public float[] cholesky() {
    return cholesky;
  }

  public int trainingImages() {
    return trainingImages;
  }

  public int gridWidth() {
    return embedding.width();
  }

  public int gridHeight() {
    return embedding.height();
  }

  @Override
  public AnomalyMap anomalyMap(FeatureMap[] features) {
    AnomalyMap distances = distanceGrid(features);
    return toInput.apply(distances);
  }

  /** Returns the Mahalanobis distance of every patch, on the finest feature grid. */
  public AnomalyMap distanceGrid(FeatureMap[] features) {
    int d = channels.length;
    int packed = PackedCholesky.packedSize(d);
    float[] patches = embedding.embed(features);
    int positions = embedding.width() * embedding.height();
    float[] distances = new float[positions];

    // Rows of the grid are independent, so they are scored in parallel.
    IntStream.range(0, embedding.height())
        .parallel()
        .forEach(
            row -> {
              float[] residual = new float[d];
              for (int p = row * embedding.width(); p < (row + 1) * embedding.width(); p++) {
                int base = p * d;
                for (int k = 0; k < d; k++) {
                  residual[k] = patches[base + k] - mean[base + k];
                }
                double squared =
                    PackedCholesky.solveSquaredNorm(cholesky, p * packed, residual, d);
                distances[p] = (float) Math.sqrt(squared);
              }
            });
    return new AnomalyMap(embedding.width(), embedding.height(), distances);
  }
}
