package org.flawmap.djl.reconstruction;

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
import java.util.List;
import org.flawmap.djl.train.Weights;

/**
 * The convolutional autoencoder over a normalised feature grid, input and output
 * {@code (N, C, H, W)}:
 *
 * <pre>
 * encoder: 1×1 conv C → hidden, ReLU, 3×3 conv hidden → latent (linear bottleneck)
 * decoder: 3×3 conv latent → hidden, ReLU, 1×1 conv hidden → C
 * </pre>
 *
 * <p>The 1 × 1 layers mix channels per cell as DFR's autoencoder does, and the two 3 × 3
 * layers let each cell's code use its 5 × 5 neighbourhood. Every layer has a bias, and there
 * is no batch normalisation, so a cell's reconstruction depends on its own image only.
 */
final class AutoencoderNetwork {

  private AutoencoderNetwork() {}

  /** Builds the block and initialises it with the engine's current random seed. */
  static Block create(NDManager manager, int channels, int hidden, int latent, int h, int w) {
    SequentialBlock block = new SequentialBlock();
    block.add(conv(hidden, 1));
    block.add(Activation.reluBlock());
    block.add(conv(latent, 3));
    block.add(conv(hidden, 3));
    block.add(Activation.reluBlock());
    block.add(conv(channels, 1));
    block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, h, w));
    return block;
  }

  private static Block conv(int filters, int kernel) {
    int padding = kernel / 2;
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(padding, padding))
        .setFilters(filters)
        .build();
  }

  /** Returns {@code (N, C, H, W)} grids stacked from {@code grids}, each {@code C × H × W}. */
  static NDArray stack(NDManager manager, List<float[]> grids, int c, int h, int w) {
    int size = c * h * w;
    float[] data = new float[grids.size() * size];
    for (int i = 0; i < grids.size(); i++) {
      System.arraycopy(grids.get(i), 0, data, i * size, size);
    }
    return manager.create(data, new Shape(grids.size(), c, h, w));
  }

  /** Returns the block's output for {@code input}. */
  static NDArray reconstruct(Block block, NDManager manager, NDArray input, boolean training) {
    return block
        .forward(new ParameterStore(manager, false), new NDList(input), training)
        .singletonOrThrow();
  }

  /**
   * Returns the squared reconstruction error averaged over channels, {@code (N, H, W)}: the
   * anomaly score of every cell.
   */
  static NDArray cellError(NDArray input, NDArray reconstruction) {
    return reconstruction.sub(input).square().mean(new int[] {1});
  }

  static byte[] save(Block block) throws IOException {
    return Weights.toBytes(block);
  }

  static void load(Block block, NDManager manager, byte[] weights) throws IOException {
    try {
      Weights.load(block, manager, weights);
    } catch (MalformedModelException e) {
      throw new IOException(
          "stored autoencoder weights do not fit the network of these settings: "
              + e.getMessage(),
          e);
    }
  }
}
