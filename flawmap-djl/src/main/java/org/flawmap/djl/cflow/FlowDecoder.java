package org.flawmap.djl.cflow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One stage's conditional normalizing flow: a stack of {@link CouplingBlock}s, each with its
 * own seeded random channel permutation. It maps a feature vector x to a latent z that should
 * be standard normal on defect-free features, so that {@code log p(x) = log N(z; 0, I) +
 * log|det ∂z/∂x|}.
 *
 * <p>Input {@code NDList(x: N × C, condition: N × P)}, output {@code NDList(z: N × C, logdet:
 * N)}.
 */
final class FlowDecoder extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int channels;
  private final List<CouplingBlock> blocks = new ArrayList<>();

  FlowDecoder(int channels, CflowOptions options, long seed) {
    super(VERSION);
    this.channels = channels;
    Random random = new Random(seed);
    for (int b = 0; b < options.couplingBlocks(); b++) {
      CouplingBlock block =
          new CouplingBlock(
              channels, options.conditionDim(), options.hiddenWidth(), options.clamp(),
              permutation(channels, random));
      blocks.add(addChildBlock("coupling" + b, block));
    }
  }

  int channels() {
    return channels;
  }

  @Override
  protected void initializeChildBlocks(
      NDManager manager, DataType dataType, Shape... inputShapes) {
    for (CouplingBlock block : blocks) {
      block.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0))};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray z = inputs.get(0);
    NDArray condition = inputs.get(1);
    NDArray logdet = null;
    for (CouplingBlock block : blocks) {
      NDList out = block.forward(store, new NDList(z, condition), training);
      z = out.get(0);
      logdet = logdet == null ? out.get(1) : logdet.add(out.get(1));
    }
    return new NDList(z, logdet);
  }

  /** Maps a latent z back to the feature vector x, the inverse of the forward pass. */
  NDArray inverse(ParameterStore store, NDArray z, NDArray condition) {
    NDArray x = z;
    for (int b = blocks.size() - 1; b >= 0; b--) {
      x = blocks.get(b).inverse(store, x, condition);
    }
    return x;
  }

  /**
   * Returns the per-dimension log-likelihood {@code (-||z||²/2 + log|det J|) / C} of each row,
   * N values. The Gaussian constant {@code -log(2π)/2} is left out because every map and loss
   * compares likelihoods of the same decoder.
   */
  NDArray logLikelihood(ParameterStore store, NDArray x, NDArray condition, boolean training) {
    NDList out = forward(store, new NDList(x, condition), training);
    NDArray squaredNorm = out.get(0).square().sum(new int[] {1});
    return out.get(1).sub(squaredNorm.mul(0.5)).div(channels);
  }

  private static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
