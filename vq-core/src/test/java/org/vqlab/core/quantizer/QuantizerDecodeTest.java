package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * decode(indices) gives the vectors that quantize output with the cosine distance too (normalised
 * codes); {@code QuantizerContract} checks the shipped l2 defaults.
 */
class QuantizerDecodeTest {

  @ParameterizedTest
  @ValueSource(strings = {"standard-cosine", "ema-cosine"})
  void decodeOfTheIndicesIsTheQuantizedOutput(String kind) {
    try (NDManager manager = NDManager.newBaseManager()) {
      CodeDistance distance = kind.endsWith("cosine") ? CodeDistance.COSINE : CodeDistance.L2;
      AbstractVectorQuantizer q = kind.startsWith("ema")
          ? new EmaVectorQuantizer(new EmaQuantizerConfig(16, 3, 0.25, 0.9, 1e-5, true,
              CodebookInit.NORMAL, 0, distance, 0, 0))
          : new VectorQuantizer(new StandardQuantizerConfig(16, 3, 0.25, CodebookInit.NORMAL, 0,
              distance, 0, 0.99, 0));
      QuantizerFixtures.initialized(q, manager);
      ParameterStore ps = new ParameterStore(manager, false);
      manager.getEngine().setRandomSeed(7);
      for (Shape shape : new Shape[] {new Shape(10, 3), new Shape(2, 3, 4, 5),
          new Shape(2, 3, 2, 3, 4)}) {
        NDArray z = manager.randomNormal(shape);
        QuantizerOutput out = q.quantize(ps, z, false);
        NDArray decoded = q.decode(ps, out.indices());
        assertEquals(shape, decoded.getShape());
        assertArrayEquals(out.quantized().toFloatArray(), decoded.toFloatArray(), 1e-6f,
            kind + " " + shape);
      }
    }
  }
}
