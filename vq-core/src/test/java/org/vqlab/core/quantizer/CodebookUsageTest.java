package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The pass accumulator against hand-counted histograms. */
class CodebookUsageTest {

  @Test
  void accumulatesAHistogramOverBatches() {
    try (NDManager manager = NDManager.newBaseManager()) {
      VectorQuantizer q = QuantizerFixtures.initialized(
          new VectorQuantizer(QuantizerFixtures.standard(5, 2)), manager);
      try (CodebookUsage usage = CodebookUsage.start(q, manager)) {
        usage.add(manager.create(new long[] {0, 0, 1, 3}));
        usage.add(manager.create(new long[] {0, 3, 3, 3}, new Shape(1, 2, 2)));
        CodebookUsage.Summary s = usage.summary();
        assertArrayEquals(new long[] {3, 1, 0, 4, 0}, s.histogram());
        assertEquals(8, s.vectors());
        double h = -(3 / 8.0 * Math.log(3 / 8.0) + 1 / 8.0 * Math.log(1 / 8.0)
            + 4 / 8.0 * Math.log(4 / 8.0));
        assertEquals(Math.exp(h), s.perplexity(), 1e-12);
        assertEquals(3, s.codesUsed());
        assertEquals(2, s.deadCodes());
        assertEquals(0.6, s.usedFraction(), 1e-12);
        assertEquals(0, s.restarts());
      }
    }
  }

  @Test
  void countsRestartsMadeDuringThePass() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      EmaVectorQuantizer q = QuantizerFixtures.initialized(new EmaVectorQuantizer(
          new EmaQuantizerConfig(4, 2, 0.25, 0.99, 1e-5, true, CodebookInit.UNIFORM, 0,
              CodeDistance.L2, 0.5, 0)), manager);
      QuantizerFixtures.setCodebook(q, manager, new float[][] {{0, 0}, {1, 0}, {0, 1}, {9, 9}});
      try (CodebookUsage usage = CodebookUsage.start(q, manager)) {
        QuantizerOutput out = q.quantize(ps,
            manager.create(new float[][] {{0, 0.1f}, {0.9f, 0}, {0.1f, 1}, {0, 0}}), true);
        usage.add(out.indices());
        CodebookUsage.Summary s = usage.summary();
        assertArrayEquals(new long[] {2, 1, 1, 0}, s.histogram());
        assertEquals(1, s.restarts());
        assertEquals(1, s.deadCodes());
      }
    }
  }
}
