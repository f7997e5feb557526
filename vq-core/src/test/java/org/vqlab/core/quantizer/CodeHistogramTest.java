package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-code counts from sorted runs, against counting on the host. */
class CodeHistogramTest {

  private static long[] hostCounts(long[] indices, int k) {
    long[] counts = new long[k];
    for (long i : indices) {
      counts[(int) i]++;
    }
    return counts;
  }

  private static long[] counts(NDManager manager, long[] indices, Shape shape, int k) {
    try (NDArray c = CodeHistogram.counts(manager.create(indices, shape), k)) {
      assertEquals(DataType.INT64, c.getDataType());
      assertEquals(new Shape(k), c.getShape());
      return c.toLongArray();
    }
  }

  @Test
  void matchesAHostCountForRandomBatchesWithUnusedCodes() {
    Random random = new Random(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 20; trial++) {
        int k = 1 + random.nextInt(600);
        int n = 1 + random.nextInt(5000);
        // A skewed draw from a part of the codebook leaves codes at both ends unused.
        int lo = random.nextInt(k);
        int span = 1 + random.nextInt(k - lo);
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
          idx[i] = lo + (long) Math.min(span - 1, Math.abs(random.nextGaussian()) * span / 3);
        }
        assertArrayEquals(hostCounts(idx, k), counts(manager, idx, new Shape(n), k), "trial " + trial);
      }
    }
  }

  @Test
  void handlesOneIndexOneCodeAndAnyShape() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertArrayEquals(new long[] {0, 0, 1}, counts(manager, new long[] {2}, new Shape(1), 3));
      assertArrayEquals(new long[] {6}, counts(manager, new long[6], new Shape(2, 3), 1));
      assertArrayEquals(new long[] {2, 0, 1, 1},
          counts(manager, new long[] {3, 0, 2, 0}, new Shape(1, 2, 2), 4));
      assertArrayEquals(new long[] {0, 0}, counts(manager, new long[0], new Shape(0), 2));
    }
  }
}
