package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.AncestralSampling;

/** Inverse-CDF picks on closed-form distributions. */
class AncestralSamplingTest {

  @Test
  void picksTheSmallestCodeWhoseCdfExceedsTheUniform() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // p = (0.1, 0.2, 0.3, 0.4): CDF 0.1, 0.3, 0.6, 1.0; the same row for five uniforms.
      float[] p = {0.1f, 0.2f, 0.3f, 0.4f};
      NDArray logits = manager.create(p).log().reshape(1, 4).repeat(0, 5);
      NDArray u = manager.create(new float[] {0.05f, 0.12f, 0.29f, 0.61f, 0.9999f});
      assertArrayEquals(new long[] {0, 1, 1, 3, 3}, AncestralSampling.pick(logits, u, 1.0).toLongArray());
      // T = 2 gives p ~ sqrt(p): 0.1627, 0.2301, 0.2818, 0.3254 -> CDF 0.1627, 0.3928, 0.6746, 1.
      assertArrayEquals(new long[] {0, 0, 1, 2, 3}, AncestralSampling.pick(logits, u, 2.0).toLongArray());
    }
  }
}
