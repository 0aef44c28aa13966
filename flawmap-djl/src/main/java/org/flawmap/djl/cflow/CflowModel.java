package org.flawmap.djl.cflow;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.anomalymap.GaussianBlur;
import org.flawmap.anomalymap.MapResize;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.model.AnomalyModel;

/**
 * CFLOW-AD (Gudovskiy, Ishizaka and Kozuka, "CFLOW-AD: Real-Time Unsupervised Anomaly
 * Detection with Localization via Conditional Normalizing Flows", WACV 2022,
 * arXiv:2107.12571): one conditional normalizing flow per backbone stage turns each feature
 * vector into a per-dimension log-likelihood, conditioned on the 2D positional encoding of its
 * cell.
 *
 * <p>Each stage's channels are normalised with the training mean and standard deviation
 * ({@link ChannelStats}) before the flow, at fit and at scoring, because raw backbone
 * activations of magnitude tens made training diverge.
 *
 * <p>The map of one image: per stage, the H × W grid of per-dimension log-likelihoods
 * {@code log p} becomes a likelihood {@code exp(log p - m_s)} relative to {@code m_s}, the
 * maximum per-dimension log-likelihood over a sample of training images, stored at fit time.
 * Each stage's {@code 1 - exp(log p - m_s)} is upsampled bilinearly to the input resolution,
 * the stages are summed and the sum is smoothed with a Gaussian of σ = blur_sigma. The paper's
 * code subtracts the maximum over the test batch instead, which makes one image's map depend
 * on the others; a constant from training keeps the map a function of its image. Summing
 * {@code 1 - likelihood} keeps the paper's per-stage weighting, where each stage adds at most
 * 1 and normal cells add about 0. The image score is the maximum of the map.
 *
 * <p>Immutable. {@link #anomalyMap} is thread-safe: each call works in its own sub-manager and
 * the network's weights are only read. The native memory of the weights stays allocated for
 * the life of the process, because models have no close method.
 */
public final class CflowModel implements AnomalyModel {

  public static final String TYPE = "cflow";

  /**
   * The record of training, stored in the model file for provenance.
   *
   * @param trainingImages images whose features were trained on
   * @param validationImages defect-free validation images used for early stopping
   * @param epochs epochs completed
   * @param bestEpoch epoch whose weights were kept
   * @param bestValidation its mean validation negative log-likelihood per dimension, summed
   *     over stages, NaN without validation images
   * @param stopReason {@code epochs}, {@code early-stopping} or {@code time-limit}
   * @param seconds training wall time
   */
  public record Training(
      int trainingImages,
      int validationImages,
      int epochs,
      int bestEpoch,
      double bestValidation,
      String stopReason,
      double seconds) {}

  private final BackboneInfo backbone;
  private final CflowOptions options;
  private final byte[] weights;
  private final List<ChannelStats> stats;
  private final float[] maxLogLikelihood;
  private final Training training;
  private final NDManager manager;
  private final CflowNetwork network;
  private final int[] heights;
  private final int[] widths;
  private final float[][] encodings;
  private final GaussianBlur blur;

  private CflowModel(
      BackboneInfo backbone,
      CflowOptions options,
      byte[] weights,
      List<ChannelStats> stats,
      float[] maxLogLikelihood,
      Training training,
      NDManager manager,
      CflowNetwork network) {
    this.backbone = backbone;
    this.options = options;
    this.weights = weights;
    this.stats = List.copyOf(stats);
    this.maxLogLikelihood = maxLogLikelihood.clone();
    this.training = training;
    this.manager = manager;
    this.network = network;
    int n = options.stages().size();
    this.heights = new int[n];
    this.widths = new int[n];
    this.encodings = new float[n][];
    for (int i = 0; i < n; i++) {
      int stride = backbone.stages().get(options.stages().get(i)).stride();
      heights[i] = backbone.inputHeight() / stride;
      widths[i] = backbone.inputWidth() / stride;
      encodings[i] = PositionalEncoding.table(heights[i], widths[i], options.conditionDim());
    }
    this.blur = new GaussianBlur(options.blurSigma());
  }

  /**
   * Rebuilds a model from stored network weights ({@code Block.saveParameters} bytes).
   *
   * @param stats the training channel statistics of each selected stage, applied to its
   *     features before the flow
   * @param maxLogLikelihood the constant m_s of each selected stage
   * @throws IOException when the weights do not fit the network of these options
   */
  public static CflowModel load(
      BackboneInfo backbone,
      CflowOptions options,
      byte[] weights,
      List<ChannelStats> stats,
      float[] maxLogLikelihood,
      Training training)
      throws IOException {
    int[] channels = stageChannels(backbone, options.stages());
    if (maxLogLikelihood.length != channels.length) {
      throw new IllegalArgumentException(
          "CFLOW needs one maximum log-likelihood per stage (%d), found %d"
              .formatted(channels.length, maxLogLikelihood.length));
    }
    if (stats.size() != channels.length) {
      throw new IllegalArgumentException(
          "CFLOW needs channel statistics for each stage (%d), found %d"
              .formatted(channels.length, stats.size()));
    }
    for (int i = 0; i < channels.length; i++) {
      if (stats.get(i).channels() != channels[i]) {
        throw new IllegalArgumentException(
            "CFLOW stage %d has %d channels, but its channel statistics have %d"
                .formatted(options.stages().get(i), channels[i], stats.get(i).channels()));
      }
    }
    NDManager manager = TorchEngine.get().newBaseManager();
    CflowNetwork network = new CflowNetwork(channels, options);
    network.initialize(manager, DataType.FLOAT32, new Shape(1));
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
      network.loadParameters(manager, in);
    } catch (MalformedModelException e) {
      manager.close();
      throw new IOException(
          "CFLOW weights do not fit a network of " + options.networkFingerprint() + ": "
              + e.getMessage(), e);
    }
    return new CflowModel(
        backbone, options, weights, stats, maxLogLikelihood, training, manager, network);
  }

  /** Returns this model with other stage constants m_s, sharing the network. */
  CflowModel withMaxLogLikelihood(float[] maxima) {
    return new CflowModel(backbone, options, weights, stats, maxima, training, manager, network);
  }

  /**
   * Returns the channel count of each selected stage.
   *
   * @throws IllegalArgumentException naming the option when a stage index is out of range
   */
  static int[] stageChannels(BackboneInfo backbone, List<Integer> stages) {
    int[] channels = new int[stages.size()];
    for (int i = 0; i < channels.length; i++) {
      int s = stages.get(i);
      if (s >= backbone.stages().size()) {
        throw new IllegalArgumentException(
            "model option stages: backbone %s has stages 0 to %d, found %d"
                .formatted(backbone.id(), backbone.stages().size() - 1, s));
      }
      StageInfo stage = backbone.stages().get(s);
      if (stage.channels() < 2) {
        throw new IllegalArgumentException(
            "model option stages: stage %d (%s) has %d channel, a flow needs at least 2"
                .formatted(s, stage.name(), stage.channels()));
      }
      channels[i] = stage.channels();
    }
    return channels;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public BackboneInfo backbone() {
    return backbone;
  }

  public CflowOptions options() {
    return options;
  }

  public Training training() {
    return training;
  }

  /** Returns the network weights as {@code Block.saveParameters} wrote them. */
  public byte[] weights() {
    return weights.clone();
  }

  /** Returns the training channel statistics of each selected stage, in stage order. */
  public List<ChannelStats> channelStats() {
    return stats;
  }

  public float[] maxLogLikelihood() {
    return maxLogLikelihood.clone();
  }

  @Override
  public AnomalyMap anomalyMap(FeatureMap[] features) {
    float[][] grids = logLikelihoodGrids(features);
    int width = backbone.inputWidth();
    int height = backbone.inputHeight();
    float[] sum = new float[width * height];
    for (int i = 0; i < grids.length; i++) {
      float[] deficit = new float[grids[i].length];
      for (int p = 0; p < deficit.length; p++) {
        deficit[p] = (float) (1 - Math.exp(grids[i][p] - maxLogLikelihood[i]));
      }
      float[] upsampled = MapResize.bilinear(deficit, widths[i], heights[i], width, height);
      for (int p = 0; p < sum.length; p++) {
        sum[p] += upsampled[p];
      }
    }
    return blur.apply(new AnomalyMap(width, height, sum));
  }

  /**
   * Computes the per-dimension log-likelihood of every cell, one H × W row-major grid per
   * selected stage, without gradients. The raw features are normalised on a copy first.
   */
  float[][] logLikelihoodGrids(FeatureMap[] features) {
    if (features.length != backbone.stages().size()) {
      throw new IllegalArgumentException(
          "CFLOW expects one feature map per backbone stage (%d), found %d"
              .formatted(backbone.stages().size(), features.length));
    }
    float[][] maps = new float[options.stages().size()][];
    for (int i = 0; i < maps.length; i++) {
      int s = options.stages().get(i);
      int channels = network.decoders().get(i).channels();
      StageFibers.requireShape(features[s], s, channels, heights[i], widths[i]);
      maps[i] = features[s].data().clone();
      stats.get(i).normalise(maps[i], heights[i] * widths[i]);
    }
    return normalisedLogLikelihoodGrids(maps);
  }

  /**
   * Computes the log-likelihood grids from the C × H × W maps of the selected stages, in
   * {@link CflowOptions#stages} order, already normalised with {@link #channelStats} and with
   * shapes the caller has checked.
   */
  float[][] normalisedLogLikelihoodGrids(float[][] maps) {
    float[][] grids = new float[maps.length][];
    try (NDManager scratch = manager.newSubManager()) {
      ParameterStore store = new ParameterStore(scratch, false);
      for (int i = 0; i < grids.length; i++) {
        FlowDecoder decoder = network.decoders().get(i);
        int cells = heights[i] * widths[i];
        NDArray x =
            scratch.create(
                StageFibers.cellMajor(maps[i], decoder.channels(), cells),
                new Shape(cells, decoder.channels()));
        NDArray condition =
            scratch.create(encodings[i], new Shape(cells, options.conditionDim()));
        grids[i] = decoder.logLikelihood(store, x, condition, false).toFloatArray();
      }
    }
    return grids;
  }
}
