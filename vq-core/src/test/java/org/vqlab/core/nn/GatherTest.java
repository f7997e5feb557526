package org.vqlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class GatherTest {

  /** The table's gradient of sum(lookup(table, indices) * weights). */
  private static float[] gradient(NDManager m, NDArray values, NDArray indices, NDArray weights,
      BiFunction<NDArray, NDArray, NDArray> lookup) {
    try (NDManager scope = m.newSubManager()) {
      NDArray table = values.duplicate();
      table.attach(scope);
      table.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(lookup.apply(table, indices).mul(weights).sum());
      }
      return table.getGradient().toFloatArray();
    }
  }

  @Test
  void rowsAreTheIndexedRowsAndTheirGradientIsSummedPerRow() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      NDArray table = m.randomNormal(new Shape(16, 5));
      // Repeated indices: row 3 is taken three times, rows never taken get no gradient.
      NDArray indices = m.create(new long[] {3, 0, 3, 15, 3, 7, 0, 2}, new Shape(2, 4));
      NDArray rows = Gather.rows(table, indices);
      assertEquals(new Shape(2, 4, 5), rows.getShape());
      assertArrayEquals(table.get(new NDIndex("{}", indices)).toFloatArray(), rows.toFloatArray());
      assertArrayEquals(rows.toFloatArray(), Gather.rows(table, indices.toType(DataType.INT32, false)).toFloatArray());
      NDArray weights = m.randomNormal(new Shape(2, 4, 5));
      float[] viaIndex = gradient(m, table, indices, weights, (t, i) -> t.get(new NDIndex("{}", i)));
      float[] viaGather = gradient(m, table, indices, weights, Gather::rows);
      assertArrayEquals(viaIndex, viaGather, 1e-5f);
      float[] expectedRow3 = new float[5];
      float[] w = weights.toFloatArray();
      for (int k : new int[] {0, 2, 4}) {
        for (int d = 0; d < 5; d++) {
          expectedRow3[d] += w[k * 5 + d];
        }
      }
      float[] row3 = java.util.Arrays.copyOfRange(viaGather, 15, 20);
      assertArrayEquals(expectedRow3, row3, 1e-5f);
      assertArrayEquals(new float[5], java.util.Arrays.copyOfRange(viaGather, 5, 10));
    }
  }
}
