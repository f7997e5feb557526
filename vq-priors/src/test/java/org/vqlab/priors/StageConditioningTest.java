package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/** A residual stage's prior given G earlier stages (B, G, h, w) at its own resolution. */
class StageConditioningTest {

  @Test
  void everyEarlierStageReachesTheLogitsAndTheFastSamplerMatchesTheReference() {
    Engine.getInstance().setRandomSeed(9);
    try (NDManager manager = NDManager.newBaseManager()) {
      // Stage 3 of K = 6 codes on 4 x 4, given stages 1 and 2 (same K and grid).
      GatedPixelCnn prior = PriorFixtures.prior(manager, "channels = 8, layers = 2,"
          + " conditioning_channels = 8", new PriorContext(6, 4, 4, 6, 4, 4, 0, 2));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray codes = PriorFixtures.randomCodes(manager, 1, 6, 2, 4, 4);
      NDArray first = PriorFixtures.randomCodes(manager, 2, 6, 2, 4, 4);
      NDArray second = PriorFixtures.randomCodes(manager, 3, 6, 2, 4, 4);
      NDArray base = logits(prior, ps, codes, first, second);
      NDArray otherFirst = logits(prior, ps, codes, first.add(1).mod(6), second);
      NDArray otherSecond = logits(prior, ps, codes, first, second.add(1).mod(6));
      assertEquals(new Shape(2, 6, 4, 4), base.getShape());
      assertTrue(base.sub(otherFirst).abs().max().getFloat() > 1e-4, "stage 1 is ignored");
      assertTrue(base.sub(otherSecond).abs().max().getFloat() > 1e-4, "stage 2 is ignored");
      // Swapping the two stages is another condition: each stage has its own embedding.
      assertTrue(base.sub(logits(prior, ps, codes, second, first)).abs().max().getFloat() > 1e-4);
      assertThrows(IllegalArgumentException.class, () -> prior.logits(ps, codes,
          new PriorCondition(null, first, null), false));

      PriorCondition condition = new PriorCondition(null, NDArrays.stack(new NDList(first, second), 1), null);
      NDArray uniforms = AncestralSampling.uniforms(manager, manager.getDevice(), 2, 4, 4, 5);
      NDArray fast = prior.sample(ps, uniforms, condition, 1.0);
      NDArray plain = AncestralSampling.reference(prior, ps, uniforms, condition, 1.0);
      assertArrayEquals(plain.toLongArray(), fast.toLongArray());
    }
  }

  private static NDArray logits(GatedPixelCnn prior, ParameterStore ps, NDArray codes, NDArray a,
      NDArray b) {
    return prior.logits(ps, codes, new PriorCondition(null, NDArrays.stack(new NDList(a, b), 1), null),
        false);
  }
}
