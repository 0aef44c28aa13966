package org.flawmap.djl.fcdd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flawmap.djl.TorchEngine;
import org.junit.jupiter.api.Test;

class FcddNetworkTest {

  @Test
  void pseudoHuberMatchesHandValues() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      NDArray phi = manager.create(new float[] {0f, 1f, -3f, 0.5f});

      float[] a = FcddNetwork.pseudoHuber(phi).toFloatArray();

      // sqrt(φ² + 1) - 1 for φ = 0, 1, -3, 0.5.
      assertArrayEquals(
          new float[] {0f, (float) (Math.sqrt(2) - 1), (float) (Math.sqrt(10) - 1),
            (float) (Math.sqrt(1.25) - 1)},
          a, 1e-6f);
    }
  }

  @Test
  void pixelLossMatchesHandValues() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      float ln2 = (float) Math.log(2);
      NDArray map = manager.create(new float[] {0.5f, 1f, 2f, ln2}, new Shape(1, 1, 2, 2));
      NDArray mask = manager.create(new float[] {0f, 0f, 0f, 1f}, new Shape(1, 1, 2, 2));

      double loss = FcddNetwork.pixelLoss(map, mask).getFloat();

      // Normal cells: mean(0.5, 1, 2) = 7/6. The anomalous cell has exp(-a) = 1/2, so
      // -log(1 - 1/2 + 1e-6) = log 2 - 2e-6 to first order.
      assertEquals(7.0 / 6 + Math.log(2) - 2e-6, loss, 1e-5);
    }
  }

  @Test
  void pixelLossWithoutAnomalousCells() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      NDArray map = manager.create(new float[] {0.2f, 0.4f, 0.9f}, new Shape(1, 1, 1, 3));
      NDArray mask = manager.zeros(new Shape(1, 1, 1, 3));

      double loss = FcddNetwork.pixelLoss(map, mask).getFloat();

      assertEquals(0.5, loss, 1e-6);
    }
  }

  @Test
  void adamStepsLowerLossOnFixedBatch() {
    int channels = 5;
    int side = 6;
    Random random = new Random(8);
    float[] input = new float[4 * channels * side * side];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    float[] mask = new float[4 * side * side];
    for (int y = 1; y < 3; y++) {
      for (int x = 2; x < 5; x++) {
        mask[y * side + x] = 1f;
      }
    }

    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      TorchEngine.get().setRandomSeed(3);
      Block block = FcddNetwork.initialised(manager, channels, 8, side, side);
      Optimizer adam =
          Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
      List<Float> losses = new ArrayList<>();
      for (int step = 0; step < 6; step++) {
        try (NDManager scratch = manager.newSubManager()) {
          NDArray x = scratch.create(input, new Shape(4, channels, side, side));
          NDArray m = scratch.create(mask, new Shape(4, 1, side, side));
          try (GradientCollector collector = TorchEngine.get().newGradientCollector()) {
            NDArray loss = FcddNetwork.pixelLoss(FcddNetwork.anomalyMap(block, scratch, x, true), m);
            losses.add(loss.getFloat());
            collector.backward(loss);
          }
          for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray weight = p.getValue().getArray();
            adam.update(p.getValue().getId(), weight, weight.getGradient());
          }
        }
      }

      assertTrue(
          losses.get(5) < losses.get(0),
          "loss should fall over 5 Adam steps on one batch, found " + losses);
    }
  }
}
