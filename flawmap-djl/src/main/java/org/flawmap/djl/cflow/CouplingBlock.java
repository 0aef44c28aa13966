package org.flawmap.djl.cflow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * One conditional affine coupling block followed by a fixed channel permutation.
 *
 * <p>With {@code x = [x1, x2]} split after {@code c1 = C / 2} channels and the condition
 * {@code c}: {@code [s, t] = subnet([x1, c])}, {@code s' = clamp · (2/π) · atan(s / clamp)},
 * {@code y = permute([x1, x2 · exp(s') + t])} and {@code log|det J| = Σ s'}. The soft clamp
 * bounds each log-scale to ±clamp, which keeps early training from overflowing. The subnet is
 * linear → ReLU → linear. Its output layer starts at zero, so an untrained block is
 * the identity up to the permutation, as in Glow (Kingma and Dhariwal, 2018).
 *
 * <p>Input {@code NDList(x: N × C, condition: N × P)}, output {@code NDList(y: N × C, logdet:
 * N)}.
 */
final class CouplingBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int channels;
  private final int conditionDim;
  private final int firstHalf;
  private final double clamp;
  private final int[] permutation;
  private final int hiddenWidth;
  private final Linear hidden;
  private final Linear output;

  /**
   * @param permutation output channel j is channel {@code permutation[j]} of the coupled vector
   */
  CouplingBlock(int channels, int conditionDim, int hiddenWidth, double clamp, int[] permutation) {
    super(VERSION);
    if (channels < 2) {
      throw new IllegalArgumentException(
          "a coupling block needs at least 2 channels, found " + channels);
    }
    this.channels = channels;
    this.conditionDim = conditionDim;
    this.firstHalf = channels / 2;
    this.clamp = clamp;
    this.permutation = permutation.clone();
    this.hiddenWidth = hiddenWidth;
    this.hidden = addChildBlock("hidden", Linear.builder().setUnits(hiddenWidth).build());
    this.output =
        addChildBlock("output", Linear.builder().setUnits(2L * (channels - firstHalf)).build());
    output.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
  }

  @Override
  protected void initializeChildBlocks(
      NDManager manager, DataType dataType, Shape... inputShapes) {
    hidden.initialize(manager, dataType, new Shape(1, firstHalf + conditionDim));
    output.initialize(manager, dataType, new Shape(1, hiddenWidth));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0))};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray x1 = x.get(new NDIndex(":, :{}", firstHalf));
    NDArray x2 = x.get(new NDIndex(":, {}:", firstHalf));
    NDArray[] scaleShift = scaleAndShift(store, x1, inputs.get(1), training);
    NDArray y2 = x2.mul(scaleShift[0].exp()).add(scaleShift[1]);
    NDArray y = NDArrays.concat(new NDList(x1, y2), 1).matMul(permutationMatrix(x, false));
    return new NDList(y, scaleShift[0].sum(new int[] {1}));
  }

  /** Inverts {@link #forwardInternal}: returns x for {@code y} under the same condition. */
  NDArray inverse(ParameterStore store, NDArray y, NDArray condition) {
    NDArray coupled = y.matMul(permutationMatrix(y, true));
    NDArray x1 = coupled.get(new NDIndex(":, :{}", firstHalf));
    NDArray y2 = coupled.get(new NDIndex(":, {}:", firstHalf));
    NDArray[] scaleShift = scaleAndShift(store, x1, condition, false);
    NDArray x2 = y2.sub(scaleShift[1]).mul(scaleShift[0].neg().exp());
    return NDArrays.concat(new NDList(x1, x2), 1);
  }

  /** Returns the clamped log-scales s' and the shifts t, both N × (C - c1). */
  private NDArray[] scaleAndShift(
      ParameterStore store, NDArray x1, NDArray condition, boolean training) {
    NDArray input = NDArrays.concat(new NDList(x1, condition), 1);
    NDArray h =
        Activation.relu(hidden.forward(store, new NDList(input), training).singletonOrThrow());
    NDArray out = output.forward(store, new NDList(h), training).singletonOrThrow();
    int secondHalf = channels - firstHalf;
    NDArray s = out.get(new NDIndex(":, :{}", secondHalf));
    NDArray t = out.get(new NDIndex(":, {}:", secondHalf));
    NDArray clamped = s.div(clamp).atan().mul(clamp * 2 / Math.PI);
    return new NDArray[] {clamped, t};
  }

  /**
   * Returns the C × C matrix P with {@code (v P)[j] = v[permutation[j]]}, or its transpose,
   * the inverse permutation, in {@code like}'s manager and data type.
   */
  private NDArray permutationMatrix(NDArray like, boolean transposed) {
    float[] matrix = new float[channels * channels];
    for (int j = 0; j < channels; j++) {
      int row = transposed ? j : permutation[j];
      int column = transposed ? permutation[j] : j;
      matrix[row * channels + column] = 1;
    }
    return like.getManager()
        .create(matrix, new Shape(channels, channels))
        .toType(like.getDataType(), false);
  }
}
