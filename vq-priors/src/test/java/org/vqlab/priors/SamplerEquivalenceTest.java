package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * The fast sampler ({@link ReceptiveFieldSampler}) and the reference (one full forward per
 * position) draw the same codes from the same seed: K = 16, 8 x 8 grid, batch 4.
 */
class SamplerEquivalenceTest {
  private static final int K = 16;
  private static final int SIDE = 8;
  private static final int BATCH = 4;

  @ParameterizedTest(name = "classes={0} upper={1} temperature={2}")
  @CsvSource({"10, false, 1.0", "0, true, 0.7", "10, true, 1.0", "0, false, 1.5"})
  void fastAndReferenceSamplersDrawTheSameCodes(int classes, boolean upperLevel, double temperature) {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      PriorContext context = new PriorContext(K, SIDE, SIDE, upperLevel ? 8 : 0, upperLevel ? 4 : 0,
          upperLevel ? 4 : 0, classes);
      GatedPixelCnn prior = PriorFixtures.prior(manager,
          "channels = 16, layers = 3, conditioning_channels = 8", context);
      // Larger output weights than at initialisation, so the logits are far from uniform.
      prior.getParameters().forEach(p -> {
        if (p.getKey().contains("output")) {
          p.getValue().getArray().muli(40);
        }
      });
      NDArray labels = classes > 0 ? manager.create(new long[] {0, 3, 7, 9}) : null;
      NDArray upper = upperLevel ? PriorFixtures.randomCodes(manager, 5, 8, BATCH, 4, 4) : null;
      PriorCondition condition = new PriorCondition(labels, upper, null);
      ParameterStore ps = new ParameterStore(manager, false);

      NDArray uniforms = AncestralSampling.uniforms(manager, manager.getDevice(), BATCH, SIDE, SIDE, 42);
      NDArray again = AncestralSampling.uniforms(manager, manager.getDevice(), BATCH, SIDE, SIDE, 42);
      assertArrayEquals(uniforms.toFloatArray(), again.toFloatArray(), "seeded uniforms repeat");

      NDArray reference = prior.sampleReference(ps, uniforms, condition, temperature);
      NDArray fastLogits = manager.zeros(new Shape(BATCH, K, SIDE, SIDE), DataType.FLOAT32);
      NDArray fast = manager.zeros(new Shape(BATCH, SIDE, SIDE), DataType.INT64);
      prior.sampleInto(ps, fast, uniforms, condition, temperature, 0, SIDE * SIDE, fastLogits);
      long[] expected = reference.toLongArray();
      assertArrayEquals(expected, fast.toLongArray());
      assertArrayEquals(expected, prior.sample(ps, uniforms, condition, temperature).toLongArray());

      // By causality the full pass over the final codes gives every logit the reference drew from.
      float[] full = prior.logits(ps, reference, condition, false).toFloatArray();
      float[] windowed = fastLogits.toFloatArray();
      double maxDiff = 0;
      double spread = 0;
      for (int i = 0; i < full.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(full[i] - windowed[i]));
        spread = Math.max(spread, Math.abs(full[i]));
      }
      System.out.printf("samplers classes=%d upper=%b T=%.1f: max |logit fast - full| = %.3g"
          + " (max |logit| %.3g)%n", classes, upperLevel, temperature, maxDiff, spread);
      // Equal up to the summation order of the kernels (0 or ~1e-6 here, by thread count).
      assertTrue(maxDiff <= 2e-6 * Math.max(1, spread), "logits differ by " + maxDiff);
      assertTrue(spread > 1, "logits far from uniform: " + spread);

      // Not a degenerate sample: several codes used, and a different seed gives different codes.
      assertTrue(Arrays.stream(expected).distinct().count() >= 4, Arrays.toString(expected));
      NDArray other = prior.sample(ps,
          AncestralSampling.uniforms(manager, manager.getDevice(), BATCH, SIDE, SIDE, 43), condition,
          temperature);
      assertTrue(!Arrays.equals(expected, other.toLongArray()));
      assertEquals(reference.getDevice(), uniforms.getDevice());
    }
  }
}
