package org.vqlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vqlab.core.engine.NativeOps;

class SlicingTest {

  @Test
  void narrowIsTheRangeAlongOneAxisWithItsGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(2 * 3 * 5 * 4).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
          .reshape(2, 3, 5, 4);
      x.setRequiresGradient(true);
      NDArray weights = m.randomUniform(0, 1, new Shape(2, 3, 3, 4));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = Slicing.narrow(x, 2, 1, 4);
        assertEquals(new Shape(2, 3, 3, 4), y.getShape());
        assertArrayEquals(x.get(new NDIndex(":, :, 1:4")).toFloatArray(), y.toFloatArray());
        gc.backward(y.mul(weights).sum());
      }
      NDArray expected = m.zeros(x.getShape());
      expected.set(new NDIndex(":, :, 1:4"), weights);
      assertArrayEquals(expected.toFloatArray(), x.getGradient().toFloatArray());
      // Negative axes count from the end; a whole range is the array itself.
      assertArrayEquals(x.get(new NDIndex(":, :, :, 2:4")).toFloatArray(),
          Slicing.narrow(x, -1, 2, 4).toFloatArray());
      assertSame(x, Slicing.narrow(x, 1, 0, 3));
    }
  }

  @Test
  void theBackwardPassHasOneSliceNode() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 3, 6, 6));
      x.setRequiresGradient(true);
      NativeOps.start();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(Slicing.narrow(x, 2, 1, 5).sum());
      }
      NativeOps.Counts counts = NativeOps.stop();
      int sliceNodes = counts.topLevel().entrySet().stream()
          .filter(e -> e.getKey().contains("SliceBackward")).mapToInt(Map.Entry::getValue).sum();
      assertEquals(1, sliceNodes, "slice nodes in the backward pass: " + counts.topLevel());
    }
  }

  @Test
  void aRangeOutsideTheAxisNamesAxisAndShape() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.zeros(new Shape(2, 3, 5));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Slicing.narrow(x, 2, 3, 6));
      assertTrue(e.getMessage().contains("axis 2") && e.getMessage().contains("(2, 3, 5)"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Slicing.narrow(x, 3, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> Slicing.narrow(x, 0, 2, 1));
    }
  }
}
