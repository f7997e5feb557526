package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/** The class and the upper-level codes reach the logits; the upsampling is nearest neighbour. */
class ConditioningTest {

  @Test
  void nearestNeighbourRepeatIsWhatTheUpperStackAssumes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      NDArray up = a.repeat(2, 2).repeat(3, 2);
      assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up.toFloatArray());
    }
  }

  @Test
  void labelsAndUpperCodesChangeTheLogits() {
    Engine.getInstance().setRandomSeed(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      GatedPixelCnn prior = PriorFixtures.prior(manager, "channels = 8, layers = 1,"
          + " conditioning_channels = 8", new PriorContext(5, 4, 4, 6, 2, 2, 3));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray codes = PriorFixtures.randomCodes(manager, 1, 5, 2, 4, 4);
      NDArray upper = PriorFixtures.randomCodes(manager, 2, 6, 2, 2, 2);
      NDArray base = prior.logits(ps, codes, new PriorCondition(manager.create(new long[] {0, 1}),
          upper, null), false);
      NDArray otherLabels = prior.logits(ps, codes, new PriorCondition(manager.create(new long[] {2, 1}),
          upper, null), false);
      NDArray otherUpper = prior.logits(ps, codes, new PriorCondition(manager.create(new long[] {0, 1}),
          upper.add(1).mod(6), null), false);
      // Item 0's label changed (every position moves), item 1's did not (nothing moves).
      assertTrue(minOverPositions(base.get("0"), otherLabels.get("0")) > 0);
      assertEquals(0f, base.get("1").sub(otherLabels.get("1")).abs().max().getFloat());
      assertTrue(minOverPositions(base.get("0"), otherUpper.get("0")) > 0);
      assertEquals(new Shape(2, 5, 4, 4), base.getShape());
      assertThrows(IllegalArgumentException.class,
          () -> prior.logits(ps, codes, new PriorCondition(null, upper, null), false));
      assertThrows(IllegalArgumentException.class,
          () -> prior.logits(ps, codes, new PriorCondition(manager.create(new long[] {0, 1}), null,
              null), false));
    }
  }

  /** The smallest over positions of the largest |difference| over codes: > 0 when all moved. */
  private static float minOverPositions(NDArray a, NDArray b) {
    return a.sub(b).abs().max(new int[] {0}).min().getFloat();
  }
}
