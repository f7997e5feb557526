package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * Dropout acts only while training (the save/load round trip is {@code CodePriorContract}'s, which
 * runs without dropout).
 */
class DropoutTest {

  @Test
  void evaluationIsDeterministicAndTrainingAppliesDropout() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PriorContext context = new PriorContext(6, 4, 4, 5, 2, 2, 3);
      String overrides = "channels = 8, layers = 1, conditioning_channels = 8, dropout = 0.5";
      Engine.getInstance().setRandomSeed(1);
      GatedPixelCnn prior = PriorFixtures.prior(manager, overrides, context);
      NDArray codes = PriorFixtures.randomCodes(manager, 3, 6, 2, 4, 4);
      PriorCondition condition = new PriorCondition(manager.create(new long[] {0, 2}),
          PriorFixtures.randomCodes(manager, 4, 5, 2, 2, 2), null);
      ParameterStore ps = new ParameterStore(manager, false);
      float[] expected = prior.logits(ps, codes, condition, false).toFloatArray();
      // Evaluation is deterministic; training applies dropout (p = 0.5) and so moves the logits.
      assertArrayEquals(expected, prior.logits(ps, codes, condition, false).toFloatArray());
      assertFalse(Arrays.equals(expected, prior.logits(ps, codes, condition, true).toFloatArray()));
    }
  }
}
