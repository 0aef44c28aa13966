package org.flawmap.djl.fcdd;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.djl.TorchEngine;
import org.flawmap.djl.features.ChannelStats;
import org.flawmap.djl.features.FeatureGrid;
import org.flawmap.djl.features.GridSamples;
import org.flawmap.djl.train.TrainingLoop;
import org.flawmap.djl.train.TrainingResult;
import org.flawmap.model.ModelFitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits an {@link FcddModel}: stores each training image's resampled feature grid (C × H × W
 * floats, about 470 KB per image for the defaults), then normalises them with their per-channel
 * statistics and trains the head with {@link TrainingLoop} on feature-space pseudo-anomalies.
 * The defect-free validation images give the early-stopping loss; anomalous ones are not used,
 * because they come without a mask at fit time.
 *
 * <p>Not thread-safe: call {@link #add} from one thread.
 */
public final class FcddFitter implements ModelFitter {

  private static final Logger log = LoggerFactory.getLogger(FcddFitter.class);

  private final BackboneInfo backbone;
  private final FcddOptions options;
  private final FeatureGrid grid;
  private final GridSamples samples;
  private boolean fitted;

  public FcddFitter(BackboneInfo backbone, FcddOptions options) {
    this.backbone = backbone;
    this.options = options;
    this.grid = new FeatureGrid(backbone, options.gridStride(), FcddModel.DOWNSAMPLING);
    this.samples = new GridSamples(grid);
  }

  @Override
  public String type() {
    return FcddModel.TYPE;
  }

  @Override
  public void add(FeatureMap[] features) {
    samples.addTraining(features);
  }

  @Override
  public int count() {
    return samples.training().size();
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
  public FcddModel fit() {
    if (fitted) {
      throw new IllegalStateException(
          "this FCDD fitter has already fitted its model, because fit normalises the stored"
              + " features in place; create a new fitter");
    }
    fitted = true;
    List<float[]> train = samples.training();
    List<float[]> validation = samples.validation();
    if (train.size() < 2) {
      throw new IllegalStateException(
          "FCDD needs at least 2 training images to paste between, found " + train.size());
    }
    if (validation.isEmpty()) {
      log.warn(
          "FCDD: no defect-free validation images, so early stopping is off and the last epoch's"
              + " weights are kept; add normal images to the validation split to turn it on");
    }
    log.info(
        "FCDD: {} training and {} validation images ({} anomalous validation images not used),"
            + " grid {} × {} × {}",
        train.size(), validation.size(), samples.anomalousValidation(), grid.channels(),
        grid.height(), grid.width());

    ChannelStats stats = samples.normalise();

    try {
      byte[] weights;
      TrainingResult result;
      try (NDManager manager = TorchEngine.get().newBaseManager()) {
        TorchEngine.get().setRandomSeed((int) options.seed());
        Block block =
            FcddNetwork.initialised(
                manager, grid.channels(), options.hiddenChannels(), grid.height(), grid.width());
        FcddObjective objective =
            new FcddObjective(block, grid, train, validation, paste(), options);
        result =
            new TrainingLoop(
                    FcddModel.TYPE, block, manager, options.common().training(1e-4, options.seed()))
                .run(train.size(), objective, options.fingerprint());
        weights = FcddNetwork.weights(block);
      }
      log.info(
          "FCDD: kept epoch {} of {} (validation loss {}), stopped by {}", result.bestEpoch(),
          result.epochs(), "%.5f".formatted(result.bestValidation()), result.stopReason());
      FcddTraining training =
          new FcddTraining(
              train.size(), validation.size(), result.epochs(), result.bestEpoch(),
              result.bestValidation(), result.stopReason(), result.seconds());
      return new FcddModel(backbone, options, stats.mean(), stats.std(), weights, training);
    } catch (IOException e) {
      throw new UncheckedIOException("FCDD training failed: " + e.getMessage(), e);
    }
  }

  private FeaturePaste paste() {
    int stride = options.gridStride();
    int minCells = Math.max(1, Math.round((float) options.patchMinSize() / stride));
    int maxCells = Math.max(1, Math.round((float) options.patchMaxSize() / stride));
    return new FeaturePaste(grid.channels(), grid.width(), grid.height(), minCells, maxCells);
  }
}
