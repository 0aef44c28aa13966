package org.flawmap.model.padim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.InputMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.AnomalyScores;

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

  @Override
  public List<AnomalyScores> scoreBatch(List<FeatureMap[]> batch) {
    List<AnomalyScores> out = new ArrayList<>(batch.size());
    for (AnomalyMap distances : distanceGrids(batch)) {
      AnomalyMap map = toInput.apply(distances);
      out.add(new AnomalyScores(map, map.max()));
    }
    return out;
  }

  /** Returns the Mahalanobis distance of every patch, on the finest feature grid. */
  public AnomalyMap distanceGrid(FeatureMap[] features) {
    return distanceGrids(List.<FeatureMap[]>of(features)).get(0);
  }

  /**
   * Returns the distance grids of several images. Each position's factor is read from memory
   * once for the whole batch: the 56 × 56 factors take about 63 MB at d = 100, far more than
   * the caches, so one image at a time streams them from memory per image. Every image's
   * arithmetic is that of {@link PackedCholesky#solveSquaredNorm}, so the grids equal those of
   * one image alone.
   */
  public List<AnomalyMap> distanceGrids(List<FeatureMap[]> batch) {
    int d = channels.length;
    int packed = PackedCholesky.packedSize(d);
    int n = batch.size();
    float[][] patches = new float[n][];
    float[][] distances = new float[n][];
    int positions = embedding.width() * embedding.height();
    for (int b = 0; b < n; b++) {
      patches[b] = embedding.embed(batch.get(b));
      distances[b] = new float[positions];
    }

    // Rows of the grid are independent, so they are scored in parallel.
    IntStream.range(0, embedding.height())
        .parallel()
        .forEach(
            row -> {
              float[][] residuals = new float[n][d];
              double[] squared = new double[n];
              float[] c0 = new float[d];
              float[] c1 = new float[d];
              for (int p = row * embedding.width(); p < (row + 1) * embedding.width(); p++) {
                int base = p * d;
                for (int b = 0; b < n; b++) {
                  for (int k = 0; k < d; k++) {
                    residuals[b][k] = patches[b][base + k] - mean[base + k];
                  }
                }
                PackedCholesky.solveSquaredNorms(
                    cholesky, p * packed, residuals, d, c0, c1, squared);
                for (int b = 0; b < n; b++) {
                  distances[b][p] = (float) Math.sqrt(squared[b]);
                }
              }
            });

    List<AnomalyMap> grids = new ArrayList<>(n);
    for (float[] grid : distances) {
      grids.add(new AnomalyMap(embedding.width(), embedding.height(), grid));
    }
    return grids;
  }
}
