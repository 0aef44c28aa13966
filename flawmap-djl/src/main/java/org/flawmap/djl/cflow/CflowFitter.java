package org.flawmap.djl.cflow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.train.Objective;
import org.flawmap.djl.train.TrainingLoop;
import org.flawmap.djl.train.TrainingResult;
import org.flawmap.model.ModelFitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link CflowModel}: stores the selected stages' training features, normalises each
 * stage's channels to zero mean and unit variance with the training statistics
 * ({@link ChannelStats}, stored in the model), trains the decoders by maximum likelihood with {@link TrainingLoop}, stops early on the mean negative
 * log-likelihood of the defect-free validation images, and finally measures each stage's
 * maximum training log-likelihood for the map.
 *
 * <p>Each optimiser step takes {@code batch_size} training images and samples
 * {@code fiber_batch} (image, cell) pairs per stage from them, the fiber sampling of
 * Gudovskiy et al. (2022).
 * The loss per stage is the mean of {@code (||z||²/2 - log|det J|) / C}: the negative
 * log-likelihood without its constant, divided by the channel count C so that stages of 24
 * and 96 channels train at similar scales. The step's loss is the sum over stages.
 *
 * <p>Memory: the stored maps take C × H × W floats per image and stage, about 480 KB per image
 * for the default backbone's three stages. Not thread-safe.
 */
public final class CflowFitter implements ModelFitter {

  private static final Logger log = LoggerFactory.getLogger(CflowFitter.class);

  /** Validation fibers per stage, a fixed seeded sample so that each epoch's figure is cheap. */
  static final int VALIDATION_FIBERS = 4096;

  /** Training images, evenly spaced, over which the maximum log-likelihood is taken. */
  static final int MAXIMUM_IMAGES = 100;

  private final BackboneInfo backbone;
  private final CflowOptions options;
  private final int[] channels;
  private final List<StageFibers> train = new ArrayList<>();
  private final List<StageFibers> validation = new ArrayList<>();
  private List<ChannelStats> stats;
  private int skippedAnomalous;
  private TrainingResult trainingResult;

  public CflowFitter(BackboneInfo backbone, CflowOptions options) {
    this.backbone = backbone;
    this.options = options;
    this.channels = CflowModel.stageChannels(backbone, options.stages());
    for (int i = 0; i < channels.length; i++) {
      int s = options.stages().get(i);
      int stride = backbone.stages().get(s).stride();
      int height = backbone.inputHeight() / stride;
      int width = backbone.inputWidth() / stride;
      float[] encoding = PositionalEncoding.table(height, width, options.conditionDim());
      train.add(new StageFibers(s, channels[i], height, width, encoding));
      validation.add(new StageFibers(s, channels[i], height, width, encoding));
    }
  }

  @Override
  public String type() {
    return CflowModel.TYPE;
  }

  @Override
  public void add(FeatureMap[] features) {
    requireStages(features);
    for (int i = 0; i < channels.length; i++) {
      train.get(i).add(features[options.stages().get(i)]);
    }
  }

  @Override
  public int count() {
    return train.get(0).images();
  }

  @Override
  public boolean usesValidation() {
    return true;
  }

  /** Keeps the defect-free validation images; anomalous ones are counted and left out. */
  @Override
  public void addValidation(FeatureMap[] features, boolean anomalous) {
    requireStages(features);
    if (anomalous) {
      skippedAnomalous++;
      return;
    }
    for (int i = 0; i < channels.length; i++) {
      validation.get(i).add(features[options.stages().get(i)]);
    }
  }

  @Override
  public CflowModel fit() {
    if (count() < 2) {
      throw new IllegalStateException(
          "CFLOW needs at least 2 training images, found " + count());
    }
    int validationImages = validation.get(0).images();
    log.info(
        "CFLOW: training {} decoders ({}) on {} images, early stopping on {} defect-free"
            + " validation images ({} anomalous left out)",
        channels.length, options.networkFingerprint(), count(), validationImages,
        skippedAnomalous);
    if (validationImages == 0) {
      log.warn(
          "CFLOW: no defect-free validation images, so early stopping is off and the last"
              + " epoch's weights are kept; use a validation split with normal images");
    }

    normaliseStages();

    byte[] weights;
    TrainingResult result;
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      CflowNetwork network = CflowNetwork.create(channels, options, manager, DataType.FLOAT32);
      TrainingLoop loop = new TrainingLoop(CflowModel.TYPE, network, manager, options.training());
      result = loop.run(count(), objective(network), options.networkFingerprint());
      weights = weights(network);
    } catch (IOException e) {
      throw new UncheckedIOException("CFLOW training failed: " + e.getMessage(), e);
    }

    trainingResult = result;
    CflowModel.Training training =
        new CflowModel.Training(
            count(), validationImages, result.epochs(), result.bestEpoch(),
            result.bestValidation(), result.stopReason(), result.seconds());
    try {
      CflowModel model =
          CflowModel.load(
              backbone, options, weights, stats, new float[channels.length], training);
      float[] maxima = trainingMaxima(model);
      log.info(
          "CFLOW: {} epochs in {} s (best {}, stopped by {}); stage maximum log-likelihoods {}",
          result.epochs(), "%.0f".formatted(result.seconds()), result.bestEpoch(),
          result.stopReason(), Arrays.toString(maxima));
      return model.withMaxLogLikelihood(maxima);
    } catch (IOException e) {
      throw new UncheckedIOException("CFLOW could not reload its weights: " + e.getMessage(), e);
    }
  }

  /**
   * Normalises the stored training and validation maps in place with each stage's training
   * channel statistics, once. MobileNetV2 stage activations reach magnitudes of tens, and such
   * raw inputs let the coupling subnets produce shifts and log-scale logits large enough for
   * the loss to overflow within a few epochs. The standardised inputs match the standard normal
   * target of the flow.
   */
  private void normaliseStages() {
    if (stats != null) {
      return;
    }
    stats = new ArrayList<>();
    for (int i = 0; i < channels.length; i++) {
      StageFibers stage = train.get(i);
      float[] range = stage.range();
      ChannelStats stageStats = stage.channelStats();
      float[] std = stageStats.std();
      Arrays.sort(std);
      log.info(
          "CFLOW: stage {} raw features in [{}, {}], channel standard deviations {} to {}",
          options.stages().get(i), range[0], range[1], std[0], std[std.length - 1]);
      stage.normalise(stageStats);
      validation.get(i).normalise(stageStats);
      stats.add(stageStats);
    }
  }

  /** Returns the last {@link #fit}'s epochs and losses, or null before it. */
  TrainingResult trainingResult() {
    return trainingResult;
  }

  private Objective objective(CflowNetwork network) {
    List<float[][]> validationSample = validationSample();
    return new Objective() {
      @Override
      public NDArray loss(NDManager manager, int[] batch) {
        // Seeded by the batch's images, so a resumed run samples the same fibers.
        Random random = new Random(options.seed() * 1_000_003L + Arrays.hashCode(batch));
        ParameterStore store = new ParameterStore(manager, false);
        NDArray total = null;
        for (int i = 0; i < channels.length; i++) {
          StageFibers stage = train.get(i);
          int[] image = new int[options.fiberBatch()];
          int[] cell = new int[options.fiberBatch()];
          for (int k = 0; k < image.length; k++) {
            image[k] = batch[random.nextInt(batch.length)];
            cell[k] = random.nextInt(stage.cells());
          }
          NDArray nll =
              logLikelihood(network, i, manager, store, stage.fibers(image, cell),
                  stage.conditions(cell), true)
                  .mean()
                  .neg();
          total = total == null ? nll : total.add(nll);
        }
        return total;
      }

      @Override
      public double validate(NDManager manager) {
        if (validationSample.isEmpty()) {
          return Double.NaN;
        }
        ParameterStore store = new ParameterStore(manager, false);
        double sum = 0;
        for (int i = 0; i < channels.length; i++) {
          float[] x = validationSample.get(i)[0];
          float[] condition = validationSample.get(i)[1];
          float[] logp = logLikelihood(network, i, manager, store, x, condition, false)
              .toFloatArray();
          double stageSum = 0;
          for (float v : logp) {
            stageSum += v;
          }
          sum -= stageSum / logp.length;
        }
        return sum;
      }
    };
  }

  private NDArray logLikelihood(
      CflowNetwork network, int stage, NDManager manager, ParameterStore store, float[] x,
      float[] condition, boolean training) {
    int n = x.length / channels[stage];
    NDArray features = manager.create(x, new Shape(n, channels[stage]));
    NDArray conditions = manager.create(condition, new Shape(n, options.conditionDim()));
    return network.decoders().get(stage).logLikelihood(store, features, conditions, training);
  }

  /**
   * Draws the fixed validation sample: per stage up to {@link #VALIDATION_FIBERS} (image, cell)
   * pairs, as {fibers, conditions}. Returns an empty list without validation images.
   */
  private List<float[][]> validationSample() {
    List<float[][]> sample = new ArrayList<>();
    if (validation.get(0).images() == 0) {
      return sample;
    }
    Random random = new Random(options.seed() + 17);
    for (StageFibers stage : validation) {
      int n = (int) Math.min(VALIDATION_FIBERS, (long) stage.images() * stage.cells());
      int[] image = new int[n];
      int[] cell = new int[n];
      for (int k = 0; k < n; k++) {
        image[k] = random.nextInt(stage.images());
        cell[k] = random.nextInt(stage.cells());
      }
      sample.add(new float[][] {stage.fibers(image, cell), stage.conditions(cell)});
    }
    return sample;
  }

  /**
   * Returns each stage's maximum per-dimension log-likelihood over at most
   * {@link #MAXIMUM_IMAGES} evenly spaced training images, scored as the model scores test
   * images. The stored maps are already normalised.
   */
  private float[] trainingMaxima(CflowModel model) {
    float[] maxima = new float[channels.length];
    Arrays.fill(maxima, Float.NEGATIVE_INFINITY);
    int images = count();
    int step = Math.max(1, images / MAXIMUM_IMAGES);
    for (int j = 0; j < images; j += step) {
      float[][] maps = new float[channels.length][];
      for (int i = 0; i < maps.length; i++) {
        maps[i] = train.get(i).image(j);
      }
      float[][] grids = model.normalisedLogLikelihoodGrids(maps);
      for (int i = 0; i < grids.length; i++) {
        for (float v : grids[i]) {
          maxima[i] = Math.max(maxima[i], v);
        }
      }
    }
    return maxima;
  }

  private void requireStages(FeatureMap[] features) {
    if (features.length != backbone.stages().size()) {
      throw new IllegalArgumentException(
          "CFLOW expects one feature map per backbone stage of %s (%d), found %d"
              .formatted(backbone.id(), backbone.stages().size(), features.length));
    }
  }

  private static byte[] weights(CflowNetwork network) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      network.saveParameters(out);
    }
    return bytes.toByteArray();
  }
}
