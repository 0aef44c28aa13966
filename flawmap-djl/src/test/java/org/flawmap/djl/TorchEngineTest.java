package org.flawmap.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class TorchEngineTest {

  @Test
  void engineStartsOfflineWithPytorch() {
    Engine engine = TorchEngine.get();

    assertEquals(TorchEngine.NAME, engine.getEngineName());
  }

  @Test
  void autogradOfSumOfSquaresIsTwiceInput() {
    Engine engine = TorchEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      NDArray x = manager.create(new float[] {1f, -2f, 0.5f});
      x.setRequiresGradient(true);

      try (GradientCollector collector = engine.newGradientCollector()) {
        NDArray y = x.mul(x).sum();
        collector.backward(y);
      }

      // d/dx sum(x²) = 2x, exact in float32 for these values.
      assertArrayEquals(new float[] {2f, -4f, 1f}, x.getGradient().toFloatArray(), 0f);
    }
  }
}
