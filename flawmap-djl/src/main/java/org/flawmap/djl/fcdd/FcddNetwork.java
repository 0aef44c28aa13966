package org.flawmap.djl.fcdd;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import org.flawmap.djl.train.Weights;

/**
 * The FCDD head and its loss (Liznerski et al., "Explainable Deep One-Class Classification",
 * ICLR 2021, arXiv:2007.01760).
 *
 * <p>The head is fully convolutional over the resampled stage features: a 1 × 1 convolution to
 * {@code hidden} channels, a 3 × 3 convolution, another 1 × 1 convolution to one channel
 * {@code φ}, with leaky ReLU (slope 0.1) between them. Input {@code N × C × H × W}, output
 * {@code N × 1 × H × W}. The paper trains such a head with its network end to end. Here the
 * backbone stays frozen, so only the head (about 50k weights for the defaults) is trained.
 *
 * <p>The anomaly map is the pseudo-Huber transform {@code A = sqrt(φ² + 1) - 1}, which is 0 at
 * {@code φ = 0}, non-negative, and grows like {@code |φ|}.
 */
final class FcddNetwork {

  /** Slope of the leaky ReLU for negative inputs. */
  private static final float LEAKY_SLOPE = 0.1f;

  /**
   * Keeps {@code 1 - exp(-a)} away from 0 inside the logarithm, so that a cell with {@code a = 0}
   * gets a finite loss of {@code -log(1e-6) ≈ 13.8} and a finite gradient. float32 resolves
   * {@code 1 - exp(-a)} near 0 to about 6e-8, well below this.
   */
  static final float LOG_EPSILON = 1e-6f;

  private FcddNetwork() {}

  /** Builds the head's blocks, without parameters. */
  static Block head(int hidden) {
    return new SequentialBlock()
        .add(conv(hidden, 1))
        .add(Activation.leakyReluBlock(LEAKY_SLOPE))
        .add(conv(hidden, 3))
        .add(Activation.leakyReluBlock(LEAKY_SLOPE))
        .add(conv(1, 1));
  }

  private static Block conv(int filters, int kernel) {
    int pad = kernel / 2;
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(pad, pad))
        .setFilters(filters)
        .build();
  }

  /** Builds and initialises a head for {@code channels} input channels on {@code manager}. */
  static Block initialised(NDManager manager, int channels, int hidden, int height, int width) {
    Block block = head(hidden);
    block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, height, width));
    return block;
  }

  /**
   * Computes the map {@code A} (N × 1 × H × W) of {@code features} (N × C × H × W).
   *
   * @param training whether autograd records the pass
   */
  static NDArray anomalyMap(Block block, NDManager manager, NDArray features, boolean training) {
    NDArray phi =
        block
            .forward(new ParameterStore(manager, false), new NDList(features), training)
            .singletonOrThrow();
    return pseudoHuber(phi);
  }

  /** Computes {@code sqrt(φ² + 1) - 1} element-wise. */
  static NDArray pseudoHuber(NDArray phi) {
    return phi.square().add(1f).sqrt().sub(1f);
  }

  /**
   * Computes the pixel-wise Hypersphere Classifier loss of FCDD's semi-supervised variant. A
   * normal cell (mask 0) costs {@code a}, which pulls it to the centre, and an anomalous cell
   * (mask 1) costs {@code -log(1 - exp(-a))}, which pushes it away. Each term is averaged over
   * its own cells and the two means are added:
   *
   * <pre>
   *   L = Σ (1 - m) a / Σ (1 - m)  +  Σ m (-log(1 - exp(-a) + ε)) / max(Σ m, 1)
   * </pre>
   *
   * <p>The paper averages over all pixels together. Pasted rectangles cover only a few percent of
   * the cells, so without this balance the anomalous term would barely count.
   *
   * @param map A, any shape
   * @param mask 1 on anomalous cells and 0 elsewhere, the shape of {@code map}
   * @return a scalar
   */
  static NDArray pixelLoss(NDArray map, NDArray mask) {
    NDArray normalMask = mask.neg().add(1f);
    NDArray normalTerm = map.mul(normalMask).sum().div(normalMask.sum().maximum(1f));
    NDArray pushAway = map.neg().exp().neg().add(1f + LOG_EPSILON).log().neg();
    NDArray anomalousTerm = pushAway.mul(mask).sum().div(mask.sum().maximum(1f));
    return normalTerm.add(anomalousTerm);
  }

  static byte[] weights(Block block) throws IOException {
    return Weights.toBytes(block);
  }

  /** Builds a head on {@code manager} and loads {@code weights} into it, without gradients. */
  static Block load(
      NDManager manager, byte[] weights, int channels, int hidden, int height, int width)
      throws IOException {
    Block block = initialised(manager, channels, hidden, height, width);
    try {
      Weights.load(block, manager, weights);
    } catch (MalformedModelException e) {
      throw new IOException(
          "FCDD weights do not fit a head of %d input and %d hidden channels: %s"
              .formatted(channels, hidden, e.getMessage()),
          e);
    }
    return block;
  }
}
