package org.flawmap.djl.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.features.FeatureGrid;
import org.flawmap.djl.features.GridSamples;
import org.flawmap.djl.train.Objective;
import org.flawmap.djl.train.TrainingLoop;
import org.flawmap.djl.train.TrainingResult;
import org.flawmap.model.ModelFitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link FeatureAutoencoderModel}: keeps every training image's resampled grid in memory
 * (152 × 28 × 28 floats, about 480 KB per image with the defaults), computes the per-channel
 * statistics, then trains the autoencoder with the mean squared error through
 * {@link TrainingLoop}. The validation figure for early stopping is the mean cell error of the
 * defect-free validation images, and anomalous validation images are not used.
 *
 * <p>Not thread-safe: call {@link #add} and {@link #addValidation} from one thread.
 */
public final class FeatureAutoencoderFitter implements ModelFitter {

  private static final Logger log = LoggerFactory.getLogger(FeatureAutoencoderFitter.class);

  private final BackboneInfo backbone;
  private final ReconstructionOptions options;
  private final FeatureGrid grid;
  private final GridSamples samples;
  private final List<float[]> trainGrids;
  private final List<float[]> validationGrids;

  public FeatureAutoencoderFitter(BackboneInfo backbone, ReconstructionOptions options) {
    this.backbone = backbone;
    this.options = options;
    this.grid =
        new FeatureGrid(backbone, options.gridStride(), FeatureAutoencoderModel.DOWNSAMPLING);
    if (options.latentChannels() >= grid.channels()) {
      throw new IllegalArgumentException(
          ("model option latent_channels must be below the %d concatenated stage channels, or"
                  + " the autoencoder can learn the identity; found %d")
              .formatted(grid.channels(), options.latentChannels()));
    }
    this.samples = new GridSamples(grid);
    this.trainGrids = samples.training();
    this.validationGrids = samples.validation();
  }

  @Override
  public String type() {
    return FeatureAutoencoderModel.TYPE;
  }

  @Override
  public void add(FeatureMap[] features) {
    samples.addTraining(features);
  }

  @Override
  public int count() {
    return trainGrids.size();
  }

  @Override
  public boolean usesValidation() {
    return true;
  }

  @Override
  public void addValidation(FeatureMap[] features, boolean anomalous) {
    samples.addValidation(features, anomalous);
  }

  @Override
  public FeatureAutoencoderModel fit() {
    if (trainGrids.isEmpty()) {
      throw new IllegalStateException(
          "the feature autoencoder got no training images; add defect-free images first");
    }
    ChannelStats stats = normaliseGrids();
    if (validationGrids.isEmpty()) {
      log.warn(
          "feature-ae: no defect-free validation image ({} anomalous ones skipped), so early"
              + " stopping is off and the last epoch's weights are kept; give the dataset a"
              + " validation split with normal images to turn it on",
          samples.anomalousValidation());
    }
    log.info(
        "feature-ae: {} training and {} validation images, grid {} × {} × {} channels, hidden"
            + " {}, latent {}",
        trainGrids.size(), validationGrids.size(), grid.width(), grid.height(), grid.channels(),
        options.hiddenChannels(), options.latentChannels());

    byte[] weights;
    TrainingResult result;
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      TorchEngine.get().setRandomSeed((int) options.seed());
      Block block = newBlock(manager);
      result =
          new TrainingLoop(FeatureAutoencoderModel.TYPE, block, manager, options.training())
              .run(trainGrids.size(), objective(block), options.networkSettings());
      weights = AutoencoderNetwork.save(block);
    } catch (IOException e) {
      throw new UncheckedIOException("feature-ae training failed: " + e.getMessage(), e);
    }
    log.info(
        "feature-ae: trained {} epochs ({}), kept epoch {} with validation error {}",
        result.epochs(), result.stopReason(), result.bestEpoch(),
        "%.5f".formatted(result.bestValidation()));

    int images = trainGrids.size();
    samples.clear();
    return FeatureAutoencoderModel.of(backbone, options, stats, weights, images, result);
  }

  /** Computes the training statistics and normalises the stored grids with them, in place. */
  ChannelStats normaliseGrids() {
    return samples.normalise();
  }

  Block newBlock(NDManager manager) {
    return AutoencoderNetwork.create(
        manager, grid.channels(), options.hiddenChannels(), options.latentChannels(),
        grid.height(), grid.width());
  }

  /** Returns the training objective over the normalised grids added so far. */
  Objective objective(Block block) {
    return new Objective() {
      @Override
      public NDArray loss(NDManager manager, int[] batch) {
        List<float[]> grids = new ArrayList<>(batch.length);
        for (int index : batch) {
          grids.add(trainGrids.get(index));
        }
        NDArray x = AutoencoderNetwork.stack(
            manager, grids, grid.channels(), grid.height(), grid.width());
        NDArray reconstruction = AutoencoderNetwork.reconstruct(block, manager, x, true);
        return reconstruction.sub(x).square().mean();
      }

      @Override
      public double validate(NDManager manager) {
        if (validationGrids.isEmpty()) {
          return Double.NaN;
        }
        return meanError(block, manager, validationGrids);
      }
    };
  }

  /** Returns the mean cell error of normalised grids, scored in batches without gradients. */
  double meanError(Block block, NDManager manager, List<float[]> grids) {
    double sum = 0;
    for (int from = 0; from < grids.size(); from += options.batchSize()) {
      List<float[]> batch = grids.subList(from, Math.min(grids.size(), from + options.batchSize()));
      try (NDManager scratch = manager.newSubManager()) {
        NDArray x = AutoencoderNetwork.stack(
            scratch, batch, grid.channels(), grid.height(), grid.width());
        NDArray reconstruction = AutoencoderNetwork.reconstruct(block, scratch, x, false);
        sum += AutoencoderNetwork.cellError(x, reconstruction).mean().getFloat() * batch.size();
      }
    }
    return sum / grids.size();
  }
}
