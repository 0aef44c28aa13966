package org.flawmap.djl.cflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Random;
import org.flawmap.djl.TorchEngine;
import org.junit.jupiter.api.Test;

/**
 * Checks that the flow is a valid density: the log-determinant a block reports equals the log
 * of its numerical Jacobian determinant, the inverse undoes the forward pass, and an untrained
 * flow gives the closed-form standard normal log-density. All in float64.
 */
class CouplingBlockTest {

  private static final int C = 4;
  private static final int P = 4;

  @Test
  void logDeterminantMatchesNumericalJacobian() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      CouplingBlock block = new CouplingBlock(C, P, 8, 1.9, new int[] {2, 0, 3, 1});
      block.initialize(manager, DataType.FLOAT64, new Shape(1, C), new Shape(1, P));
      randomise(block.getParameters(), new Random(7));
      ParameterStore store = new ParameterStore(manager, false);
      Random random = new Random(11);
      double[] x = gaussian(random, C);
      double[] condition = gaussian(random, P);

      NDList out = forward(block, store, manager, x, condition);
      double logdet = out.get(1).toDoubleArray()[0];

      // Central differences: column j of J is (f(x + h e_j) - f(x - h e_j)) / 2h.
      double h = 1e-5;
      double[][] jacobian = new double[C][C];
      for (int j = 0; j < C; j++) {
        double[] plus = x.clone();
        double[] minus = x.clone();
        plus[j] += h;
        minus[j] -= h;
        double[] yPlus = forward(block, store, manager, plus, condition).get(0).toDoubleArray();
        double[] yMinus = forward(block, store, manager, minus, condition).get(0).toDoubleArray();
        for (int i = 0; i < C; i++) {
          jacobian[i][j] = (yPlus[i] - yMinus[i]) / (2 * h);
        }
      }
      assertEquals(Math.log(Math.abs(determinant(jacobian))), logdet, 1e-3);
      // The randomised subnet must scale, or the check above would compare 0 with 0.
      assertTrue(Math.abs(logdet) > 0.01, "log-determinant " + logdet);
    }
  }

  @Test
  void inverseUndoesForward() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      CflowOptions options = tinyOptions();
      FlowDecoder decoder = new FlowDecoder(C, options, 3);
      decoder.initialize(manager, DataType.FLOAT64, new Shape(1, C), new Shape(1, P));
      randomise(decoder.getParameters(), new Random(5));
      ParameterStore store = new ParameterStore(manager, false);
      Random random = new Random(13);
      NDArray x = manager.create(gaussian(random, 3 * C), new Shape(3, C));
      NDArray condition = manager.create(gaussian(random, 3 * P), new Shape(3, P));

      NDArray z = decoder.forward(store, new NDList(x, condition), false).get(0);
      NDArray back = decoder.inverse(store, z, condition);

      assertArrayEquals(x.toDoubleArray(), back.toDoubleArray(), 1e-9);
      assertTrue(z.sub(x).abs().max().getDouble() > 0.01, "flow is not the identity");
    }
  }

  @Test
  void untrainedFlowGivesStandardNormalDensity() {
    try (NDManager manager = TorchEngine.get().newBaseManager()) {
      FlowDecoder decoder = new FlowDecoder(C, tinyOptions(), 3);
      decoder.initialize(manager, DataType.FLOAT64, new Shape(1, C), new Shape(1, P));
      ParameterStore store = new ParameterStore(manager, false);
      Random random = new Random(17);
      int n = 5;
      double[] samples = gaussian(random, n * C);
      NDArray x = manager.create(samples, new Shape(n, C));
      NDArray condition = manager.create(gaussian(random, n * P), new Shape(n, P));

      double[] perDimension = decoder.logLikelihood(store, x, condition, false).toDoubleArray();

      for (int k = 0; k < n; k++) {
        double squaredNorm = 0;
        for (int c = 0; c < C; c++) {
          squaredNorm += samples[k * C + c] * samples[k * C + c];
        }
        double expected = -0.5 * squaredNorm - 0.5 * C * Math.log(2 * Math.PI);
        double logDensity = perDimension[k] * C - 0.5 * C * Math.log(2 * Math.PI);
        assertEquals(expected, logDensity, 1e-9, "sample " + k);
      }
    }
  }

  static CflowOptions tinyOptions() {
    return new CflowOptions(
        List.of(0), 3, 8, P, 1.9, 16, 1, 1, 1e-3, 0, 0, null, 1.0, 1L);
  }

  private static NDList forward(
      CouplingBlock block, ParameterStore store, NDManager manager, double[] x,
      double[] condition) {
    NDArray input = manager.create(x, new Shape(1, C));
    NDArray cond = manager.create(condition, new Shape(1, P));
    return block.forward(store, new NDList(input, cond), false);
  }

  /** Replaces every weight by a normal sample of σ 0.5, so the subnet output is not zero. */
  private static void randomise(ParameterList parameters, Random random) {
    for (Pair<String, Parameter> p : parameters) {
      NDArray array = p.getValue().getArray();
      double[] values = gaussian(random, (int) array.size());
      for (int i = 0; i < values.length; i++) {
        values[i] *= 0.5;
      }
      array.set(values);
    }
  }

  private static double[] gaussian(Random random, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextGaussian();
    }
    return out;
  }

  /** Determinant by Gaussian elimination with partial pivoting. */
  private static double determinant(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = matrix[i].clone();
    }
    double det = 1;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      if (pivot != col) {
        double[] t = a[pivot];
        a[pivot] = a[col];
        a[col] = t;
        det = -det;
      }
      det *= a[col][col];
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int k = col; k < n; k++) {
          a[r][k] -= f * a[col][k];
        }
      }
    }
    return det;
  }
}
