package org.flawmap.djl.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flawmap.backbone.FeatureMap;

/**
 * The resampled grids a fitter keeps in memory until it trains: one {@code C × H × W} grid per
 * training image and per defect-free validation image (about 470 KB each for 152 × 28 × 28).
 * Anomalous validation images are only counted, because they come without a mask at fit time.
 * The channel statistics of the training grids are accumulated as they arrive.
 *
 * <p>Not thread-safe: add from one thread.
 */
public final class GridSamples {

  private final FeatureGrid grid;
  private final ChannelStats.Accumulator accumulator;
  private final List<float[]> training = new ArrayList<>();
  private final List<float[]> validation = new ArrayList<>();
  private int anomalousValidation;

  public GridSamples(FeatureGrid grid) {
    this.grid = grid;
    this.accumulator = new ChannelStats.Accumulator(grid.channels(), grid.cells());
  }

  /** Resamples and stores one training image's stage maps. */
  public void addTraining(FeatureMap[] features) {
    float[] values = grid.resample(features);
    accumulator.add(values);
    training.add(values);
  }

  /** Resamples and stores a defect-free validation image, and only counts an anomalous one. */
  public void addValidation(FeatureMap[] features, boolean anomalous) {
    if (anomalous) {
      anomalousValidation++;
      return;
    }
    validation.add(grid.resample(features));
  }

  /** Returns the stored training grids; the list is read-only, its arrays are shared. */
  public List<float[]> training() {
    return Collections.unmodifiableList(training);
  }

  /** Returns the stored validation grids; the list is read-only, its arrays are shared. */
  public List<float[]> validation() {
    return Collections.unmodifiableList(validation);
  }

  public int anomalousValidation() {
    return anomalousValidation;
  }

  /**
   * Computes the channel statistics of the training grids and normalises all stored grids with
   * them, in place. Call it once, because a second call would normalise the grids again.
   *
   * @throws IllegalStateException when no training grid was added
   */
  public ChannelStats normalise() {
    ChannelStats stats = accumulator.stats();
    training.forEach(g -> stats.normalise(g, grid.cells()));
    validation.forEach(g -> stats.normalise(g, grid.cells()));
    return stats;
  }

  /** Drops the stored grids, so that their memory can be freed once the model is trained. */
  public void clear() {
    training.clear();
    validation.clear();
  }
}
