package org.flawmap.model.patchcore;

import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.InputMap;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.AnomalyScores;

/**
 * PatchCore (Roth, Pemula, Zepeda, Schölkopf, Brox and Gehler, "Towards Total Recall in
 * Industrial Anomaly Detection", CVPR 2022, arXiv:2106.08265): a memory bank of locally aware
 * patch features from defect-free images, and each test patch's distance to its nearest bank
 * patch as its anomaly score.
 *
 * <p>Shapes, with {@code P = width × height} positions of the finest selected stage (28 × 28
 * for a stride-8 stage at 224 pixels), {@code d} channels per patch and {@code M} bank
 * patches: the bank is {@code M × d} floats, position-major ({@code bank[m * d + j]}).
 *
 * <p>The anomaly map is the grid of nearest-neighbour distances, upsampled bilinearly to the
 * input size and smoothed with a Gaussian of σ = {@code blurSigma} input pixels. The image
 * score is the paper's reweighted maximum: with {@code x*} the patch of largest distance
 * {@code s*}, {@code m*} its nearest bank patch and {@code N_b} the {@code b} bank patches
 * nearest to {@code m*} (itself included), the score is {@code w · s*} with
 * {@code w = 1 - exp(‖x* - m*‖) / Σ_{m ∈ N_b} exp(‖x* - m‖)}. Every support distance is at
 * least {@code ‖x* - m*‖}, so {@code w} lies in {@code [1 - 1/b, 1)}: close to 1 when the
 * other support patches are much farther from {@code x*} than {@code m*} is. With a bank of
 * one patch the support is {@code m*} alone and the image score is 0.
 */
public final class PatchcoreModel implements AnomalyModel {

  public static final String TYPE = "patchcore";

  private final BackboneInfo backbone;
  private final PatchcoreOptions options;
  private final float[] bank;
  private final int trainingImages;
  private final long trainingPatches;
  private final PatchFeatures features;
  private final NearestNeighbours search;
  private final InputMap toInput;

  PatchcoreModel(
      BackboneInfo backbone,
      PatchcoreOptions options,
      float[] bank,
      int trainingImages,
      long trainingPatches) {
    this.backbone = backbone;
    this.options = options;
    this.features = new PatchFeatures(backbone, options.stages(), options.featureDimension());
    int d = features.dimension();
    if (bank.length == 0 || bank.length % d != 0) {
      throw new IllegalArgumentException(
          "PatchCore memory bank has %d values, not a positive multiple of %d channels"
              .formatted(bank.length, d));
    }
    this.bank = bank;
    this.search = new NearestNeighbours(bank, bank.length / d, d);
    this.trainingImages = trainingImages;
    this.trainingPatches = trainingPatches;
    this.toInput = new InputMap(backbone, options.blurSigma());
  }

  /** Rebuilds a model from the arrays stored in a model file. */
  public static PatchcoreModel of(
      BackboneInfo backbone,
      PatchcoreOptions options,
      float[] bank,
      int trainingImages,
      long trainingPatches) {
    return new PatchcoreModel(backbone, options, bank, trainingImages, trainingPatches);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public BackboneInfo backbone() {
    return backbone;
  }

  public PatchcoreOptions options() {
    return options;
  }

  /** Returns the memory bank (bank size × dimension); the array is shared, do not modify it. */
  public float[] bank() {
    return bank;
  }

  public int bankSize() {
    return search.size();
  }

  /** Returns the channels per patch. */
  public int dimension() {
    return features.dimension();
  }

  public List<Integer> stages() {
    return options.stages();
  }

  public int trainingImages() {
    return trainingImages;
  }

  /** Returns the number of training patches the coreset was drawn from, before sampling. */
  public long trainingPatches() {
    return trainingPatches;
  }

  public int gridWidth() {
    return features.width();
  }

  public int gridHeight() {
    return features.height();
  }

  @Override
  public AnomalyMap anomalyMap(FeatureMap[] stageMaps) {
    return score(stageMaps).map();
  }

  @Override
  public AnomalyScores score(FeatureMap[] stageMaps) {
    float[] patches = features.extract(stageMaps);
    NearestNeighbours.Matches matches = search.search(patches, features.positions());
    AnomalyMap grid = new AnomalyMap(features.width(), features.height(), matches.distance());
    return new AnomalyScores(toInput.apply(grid), imageScore(patches, matches));
  }

  /** Returns the nearest-neighbour distance of every patch, on the finest selected grid. */
  public AnomalyMap distanceGrid(FeatureMap[] stageMaps) {
    float[] patches = features.extract(stageMaps);
    NearestNeighbours.Matches matches = search.search(patches, features.positions());
    return new AnomalyMap(features.width(), features.height(), matches.distance());
  }

  private double imageScore(float[] patches, NearestNeighbours.Matches matches) {
    float[] distance = matches.distance();
    int worst = 0;
    for (int p = 1; p < distance.length; p++) {
      if (distance[p] > distance[worst]) {
        worst = p;
      }
    }
    int d = features.dimension();
    double nearest = search.distance(patches, worst * d, matches.index()[worst]);
    int[] support = search.neighboursOf(matches.index()[worst], options.neighbours());
    double[] supportDistance = new double[support.length];
    for (int i = 0; i < support.length; i++) {
      supportDistance[i] = search.distance(patches, worst * d, support[i]);
    }
    return imageScoreWeight(nearest, supportDistance) * nearest;
  }

  /**
   * Returns the image score weight {@code 1 - exp(nearest) / Σ_i exp(support[i])}, computed as
   * {@code 1 - exp(nearest - logSumExp(support))} so that large distances cannot overflow.
   *
   * @param nearest distance of the most anomalous patch to its nearest bank patch
   * @param support its distances to that bank patch's nearest bank patches, the patch itself
   *     included
   */
  static double imageScoreWeight(double nearest, double[] support) {
    double max = Double.NEGATIVE_INFINITY;
    for (double s : support) {
      max = Math.max(max, s);
    }
    double sum = 0;
    for (double s : support) {
      sum += Math.exp(s - max);
    }
    double logSumExp = max + Math.log(sum);
    return 1 - Math.exp(nearest - logSumExp);
  }
}
