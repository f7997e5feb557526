package org.vqlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ScalarOpsTest {

  /** Gradient of sum(f(x)) with many short-lived arrays allocated between forward and backward. */
  private static float[] gradientUnderChurn(NDManager m, UnaryOperator<NDArray> f) {
    try (NDManager scope = m.newSubManager()) {
      NDArray x = scope.create(new float[] {0.5f, 1.5f, 2.5f, -0.7f});
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = f.apply(x);
        for (int i = 0; i < 500; i++) {
          scope.create(new float[] {99999f, -99999f, 7f, 3f}).close();
        }
        System.gc();
        gc.backward(y.sum());
      }
      return x.getGradient().toFloatArray();
    }
  }

  @Test
  void constantsKeepTheirValueUntilBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 10; trial++) {
        assertArrayEquals(new float[] {3, 3, 3, 3}, gradientUnderChurn(m, x -> ScalarOps.mul(x, 3)));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f},
            gradientUnderChurn(m, x -> ScalarOps.div(x, 4)), 1e-7f);
        assertArrayEquals(new float[] {0, 1, 1, 0}, gradientUnderChurn(m, x -> ScalarOps.atLeast(x, 1)));
        assertArrayEquals(new float[] {1, 0, 0, 1}, gradientUnderChurn(m, x -> ScalarOps.atMost(x, 1)));
      }
    }
  }
}
