package org.flawmap.djl.cflow;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoders of all selected stages in one block, so that one optimiser trains them and one
 * {@code saveParameters} stores them. Their parameters are disjoint, so training them on the
 * sum of their losses with Adam is the same as training each alone, as the paper does.
 */
final class CflowNetwork extends AbstractBlock {

  private static final byte VERSION = 1;

  private final CflowOptions options;
  private final List<FlowDecoder> decoders = new ArrayList<>();

  /** @param channels channel count of each decoder's stage, in {@link CflowOptions#stages} order */
  CflowNetwork(int[] channels, CflowOptions options) {
    super(VERSION);
    this.options = options;
    for (int i = 0; i < channels.length; i++) {
      long decoderSeed = options.seed() * 31 + i;
      decoders.add(addChildBlock("stage" + i, new FlowDecoder(channels[i], options, decoderSeed)));
    }
  }

  /**
   * Builds and initialises the network in {@code manager}. The engine's random seed is set
   * first, so equal options and seed give equal initial weights.
   */
  static CflowNetwork create(
      int[] channels, CflowOptions options, NDManager manager, DataType dataType) {
    Engine.getInstance().setRandomSeed((int) options.seed());
    CflowNetwork network = new CflowNetwork(channels, options);
    network.initialize(manager, dataType, new Shape(1));
    return network;
  }

  List<FlowDecoder> decoders() {
    return decoders;
  }

  @Override
  protected void initializeChildBlocks(
      NDManager manager, DataType dataType, Shape... inputShapes) {
    for (FlowDecoder decoder : decoders) {
      decoder.initialize(
          manager, dataType, new Shape(1, decoder.channels()),
          new Shape(1, options.conditionDim()));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  /** Not used: each decoder is called on its own stage's features. */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException("call each stage's decoder on its own features");
  }
}
