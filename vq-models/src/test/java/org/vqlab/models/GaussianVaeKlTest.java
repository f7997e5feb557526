package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GaussianVaeKlTest {

  @Test
  void klToStandardNormalMatchesClosedForm() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Image 0: two units with mean 1, variance 1 -> 0.5 * (1 + 1 - 0 - 1) each = 1.0 in total.
      // Image 1: two units with mean 0, variance 4 -> 0.5 * (4 - ln 4 - 1) each.
      NDArray mean = m.create(new float[] {1, 1, 0, 0}, new Shape(2, 1, 1, 2));
      NDArray logVar = m.create(new float[] {0, 0, (float) Math.log(4), (float) Math.log(4)},
          new Shape(2, 1, 1, 2));
      float[] kl = GaussianVae.klDivergence(mean, logVar).toFloatArray();
      assertEquals(1.0, kl[0], 1e-6);
      assertEquals(3 - Math.log(4), kl[1], 1e-5);
    }
  }
}
