package org.flawmap.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Random;
import org.flawmap.djl.TorchEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fits y = 3x + 1 with one linear unit, whose least-squares solution is known. */
class TrainingLoopTest {

  private static final int SAMPLES = 64;

  private final float[] xs = new float[SAMPLES];
  private final float[] ys = new float[SAMPLES];

  TrainingLoopTest() {
    Random random = new Random(3);
    for (int i = 0; i < SAMPLES; i++) {
      xs[i] = (float) random.nextGaussian();
      ys[i] = 3 * xs[i] + 1;
    }
  }

  @Test
  void linearFitReachesClosedFormWeights() throws Exception {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);

      TrainingResult result =
          new TrainingLoop("line", block, manager, options(300, 0, null))
              .run(SAMPLES, objective(block), "units=1");

      float[] weight = block.getParameters().get("weight").getArray().toFloatArray();
      float[] bias = block.getParameters().get("bias").getArray().toFloatArray();
      // Noise-free data: the least-squares solution is exact, and Adam gets within 0.02.
      assertEquals(3.0, weight[0], 0.02);
      assertEquals(1.0, bias[0], 0.02);
      assertTrue(result.trainLoss().get(result.epochs() - 1) < result.trainLoss().get(0) / 100);
      assertEquals("epochs", result.stopReason());
    }
  }

  @Test
  void resumedRunContinuesFromCheckpoint(@TempDir Path dir) throws Exception {
    TrainingResult first;
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      first = new TrainingLoop("line", block, manager, options(5, 0, dir))
          .run(SAMPLES, objective(block), "units=1");
    }

    TrainingResult second;
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      second = new TrainingLoop("line", block, manager, options(10, 0, dir))
          .run(SAMPLES, objective(block), "units=1");
    }

    assertEquals(5, second.resumedEpochs());
    assertEquals(10, second.epochs());
    assertEquals(first.trainLoss(), second.trainLoss().subList(0, 5));
    assertTrue(second.trainLoss().get(9) < first.trainLoss().get(4));
  }

  @Test
  void checkpointOfOtherSettingsIsRejected(@TempDir Path dir) throws Exception {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      new TrainingLoop("line", block, manager, options(2, 0, dir))
          .run(SAMPLES, objective(block), "units=1");

      TrainingLoop other = new TrainingLoop("line", block, manager, options(2, 0, dir));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> other.run(SAMPLES, objective(block), "units=2"));
      assertTrue(e.getMessage().contains(dir.toString()));
    }
  }

  @Test
  void flatValidationStopsEarly() throws Exception {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      Objective constant =
          new Objective() {
            @Override
            public NDArray loss(NDManager m, int[] batch) {
              return objective(block).loss(m, batch);
            }

            @Override
            public double validate(NDManager m) {
              return 1.0;
            }
          };

      TrainingResult result =
          new TrainingLoop("line", block, manager, options(50, 3, null))
              .run(SAMPLES, constant, "units=1");

      // Epoch 1 sets the best figure, and epochs 2 to 4 do not improve on it.
      assertEquals(4, result.epochs());
      assertEquals(1, result.bestEpoch());
      assertEquals("early-stopping", result.stopReason());
    }
  }

  @Test
  void timeLimitStopsWithinAnEpoch(@TempDir Path dir) throws Exception {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      Objective slow =
          new Objective() {
            @Override
            public NDArray loss(NDManager m, int[] batch) {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return objective(block).loss(m, batch);
            }

            @Override
            public double validate(NDManager m) {
              return Double.NaN;
            }
          };
      TrainingOptions limited = new TrainingOptions(50, 16, 0.05, 0, 0.0, 0.01, 11L, dir);

      TrainingResult result =
          new TrainingLoop("line", block, manager, limited).run(SAMPLES, slow, "units=1");

      // The first 20 ms batch passes the 10 ms limit, so epoch 1 stops after 1 of 4 batches.
      assertEquals(1, result.epochs());
      assertEquals("time-limit", result.stopReason());
      assertTrue(!java.nio.file.Files.exists(dir.resolve("state.json")));
    }
  }

  @Test
  void nonFiniteLossKeepsLastGoodWeights() throws Exception {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      int[] calls = {0};
      Objective failing =
          new Objective() {
            @Override
            public NDArray loss(NDManager m, int[] batch) {
              calls[0]++;
              NDArray loss = objective(block).loss(m, batch);
              // Epoch 1 has 4 batches; the first batch of epoch 2 returns NaN.
              return calls[0] == 5 ? loss.mul(Float.NaN) : loss;
            }

            @Override
            public double validate(NDManager m) {
              return Double.NaN;
            }
          };

      TrainingResult result =
          new TrainingLoop("line", block, manager, options(10, 0, null))
              .run(SAMPLES, failing, "units=1");
      float[] weight = block.getParameters().get("weight").getArray().toFloatArray();

      assertEquals("diverged", result.stopReason());
      assertEquals(1, result.epochs());
      assertTrue(Float.isFinite(weight[0]));
    }
  }

  @Test
  void firstEpochNanRequestsLowerRate() throws Exception {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      Block block = linear(manager);
      Objective broken =
          new Objective() {
            @Override
            public NDArray loss(NDManager m, int[] batch) {
              return objective(block).loss(m, batch).mul(Float.POSITIVE_INFINITY);
            }

            @Override
            public double validate(NDManager m) {
              return Double.NaN;
            }
          };
      TrainingLoop loop = new TrainingLoop("line", block, manager, options(3, 0, null));

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> loop.run(SAMPLES, broken, "units=1"));

      assertTrue(e.getMessage().contains("learning_rate"));
    }
  }

  private static TrainingOptions options(int epochs, int patience, Path checkpoint) {
    return new TrainingOptions(epochs, 16, 0.05, patience, 0.0, 0, 11L, checkpoint);
  }

  private static Block linear(NDManager manager) {
    Engine.getInstance().setRandomSeed(5);
    Block block = Linear.builder().setUnits(1).build();
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return block;
  }

  private Objective objective(Block block) {
    return new Objective() {
      @Override
      public NDArray loss(NDManager m, int[] batch) {
        float[] x = new float[batch.length];
        float[] y = new float[batch.length];
        for (int i = 0; i < batch.length; i++) {
          x[i] = xs[batch[i]];
          y[i] = ys[batch[i]];
        }
        NDArray input = m.create(x, new Shape(batch.length, 1));
        NDArray target = m.create(y, new Shape(batch.length, 1));
        NDArray prediction =
            block.forward(new ParameterStore(m, false), new NDList(input), true).singletonOrThrow();
        return prediction.sub(target).square().mean();
      }

      @Override
      public double validate(NDManager m) {
        return Double.NaN;
      }
    };
  }
}
