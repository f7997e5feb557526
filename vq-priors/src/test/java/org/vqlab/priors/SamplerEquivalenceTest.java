package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * The fast sampler ({@link ReceptiveFieldSampler}) and the reference (one full forward per
 * position) draw the same codes from the same seed: K = 512, 8 x 8 grid, batch 8, with 1 and 2
 * PyTorch threads (the fast logits differ from the full pass with 1 thread here, not with 2; most
 * cases use 1 thread, which also stays fast when other processes load the 2 cores). The
 * measured discrepancy stays a small fraction of the guard's tolerance, a uniform put on a CDF
 * boundary makes the guard redo that position, and a tolerance below the discrepancy makes the
 * sampler fall back to the reference.
 */
class SamplerEquivalenceTest {
  private static final int K = 512;
  private static final int SIDE = 8;
  private static final int BATCH = 8;

  @ParameterizedTest(name = "threads={0} classes={1} upper={2} temperature={3}")
  @CsvSource({"1, 10, false, 1.0", "1, 0, true, 0.7", "1, 10, true, 1.0", "1, 0, false, 1.5",
      "2, 10, true, 0.8"})
  void fastAndReferenceSamplersDrawTheSameCodes(int threads, int classes, boolean upperLevel,
      double temperature) {
    withThreads(threads, () -> withPrior(classes, upperLevel, f -> {
      NDManager manager = f.manager;
      NDArray uniforms = AncestralSampling.uniforms(manager, manager.getDevice(), BATCH, SIDE, SIDE, 42);
      NDArray again = AncestralSampling.uniforms(manager, manager.getDevice(), BATCH, SIDE, SIDE, 42);
      assertArrayEquals(uniforms.toFloatArray(), again.toFloatArray(), "seeded uniforms repeat");

      NDArray reference = f.prior.sampleReference(f.ps, uniforms, f.condition, temperature);
      NDArray fastLogits = manager.zeros(new Shape(BATCH, K, SIDE, SIDE), DataType.FLOAT32);
      NDArray fast = manager.zeros(new Shape(BATCH, SIDE, SIDE), DataType.INT64);
      FastSamplingStats stats = f.prior.sampleInto(f.ps, fast, uniforms, f.condition, temperature, 0,
          SIDE * SIDE, fastLogits);
      long[] expected = reference.toLongArray();
      assertArrayEquals(expected, fast.toLongArray());
      assertArrayEquals(expected, f.prior.sample(f.ps, uniforms, f.condition, temperature).toLongArray());
      assertFalse(stats.fellBack());
      assertEquals(SIDE * SIDE, stats.positions());

      // By causality the full pass over the final codes gives every logit the reference drew from;
      // the fast logits (guarded positions hold the full ones) must stay well inside the tolerance.
      NDArray full = f.prior.logits(f.ps, reference, f.condition, false);
      double ratio = toleranceRatio(fastLogits, full, ReceptiveFieldSampler.LOGIT_TOLERANCE);
      System.out.printf("samplers threads=%d classes=%d upper=%b T=%.1f: max |fast - full| ="
          + " %.3f x tolerance; guard redid %d of %d positions; max |logit| %.3g%n",
          JniUtils.getNumThreads(), classes, upperLevel, temperature, ratio,
          stats.guardedPositions().size(), stats.positions(), full.abs().max().getFloat());
      assertTrue(ratio <= 0.25, "fast logits use " + ratio + " of the tolerance");
      assertTrue(full.abs().max().getFloat() > 1, "logits far from uniform");

      // Not a degenerate sample: many codes used, and a different seed gives different codes.
      assertTrue(Arrays.stream(expected).distinct().count() >= 40, Arrays.toString(expected));
      NDArray other = f.prior.sample(f.ps,
          AncestralSampling.uniforms(manager, manager.getDevice(), BATCH, SIDE, SIDE, 43), f.condition,
          temperature);
      assertTrue(!Arrays.equals(expected, other.toLongArray()));
      assertEquals(reference.getDevice(), uniforms.getDevice());
    }));
  }

  /** A uniform placed on a CDF boundary of the reference makes the guard redo that position. */
  @Test
  void aUniformOnACdfBoundaryIsRedoneWithTheFullPass() {
    double temperature = 0.7;
    withThreads(1, () -> withPrior(10, true, f -> {
      NDArray uniforms = AncestralSampling.uniforms(f.manager, f.manager.getDevice(), BATCH, SIDE,
          SIDE, 7);
      int row = 4;
      int col = 3;
      int item = 1;
      putOnBoundary(f, uniforms, row, col, item, temperature);
      NDArray reference = f.prior.sampleReference(f.ps, uniforms, f.condition, temperature);
      NDArray fast = f.manager.zeros(new Shape(BATCH, SIDE, SIDE), DataType.INT64);
      FastSamplingStats stats = f.prior.sampleInto(f.ps, fast, uniforms, f.condition, temperature, 0,
          SIDE * SIDE, null);
      assertTrue(stats.guardedPositions().contains(row * SIDE + col), stats.toString());
      assertArrayEquals(reference.toLongArray(), fast.toLongArray());
      // Unguarded, the same position is drawn from the fast logits (not redone).
      NDArray bare = f.manager.zeros(new Shape(BATCH, SIDE, SIDE), DataType.INT64);
      FastSamplingStats off = ReceptiveFieldSampler.sampleInto(f.prior, f.ps, bare, uniforms,
          f.condition, temperature, 0, SIDE * SIDE, null, -1);
      assertEquals(0, off.guardedPositions().size());
    }));
  }

  /**
   * With one thread the fast logits differ from the full pass (measured ~2e-7 max|logit|); a
   * tolerance of 1e-7 is then violated, and the sampler must notice it on a guarded position and
   * redo everything with the reference sampler.
   */
  @Test
  void aViolatedToleranceFallsBackToTheReference() {
    double temperature = 1.0;
    withThreads(1, () -> withPrior(10, false, f -> {
      NDArray uniforms = AncestralSampling.uniforms(f.manager, f.manager.getDevice(), BATCH, SIDE,
          SIDE, 9);
      NDArray bare = f.manager.zeros(new Shape(BATCH, K, SIDE, SIDE), DataType.FLOAT32);
      NDArray bareCodes = f.manager.zeros(new Shape(BATCH, SIDE, SIDE), DataType.INT64);
      ReceptiveFieldSampler.sampleInto(f.prior, f.ps, bareCodes, uniforms, f.condition, temperature,
          0, SIDE * SIDE, bare, -1);
      double ratio = toleranceRatio(bare, f.prior.logits(f.ps, bareCodes, f.condition, false), 1e-7);
      assumeTrue(ratio > 0.5, "fast and full logits agree to " + ratio + " x 1e-7 on this machine");

      putOnBoundary(f, uniforms, 2, 5, 3, temperature);
      NDArray reference = f.prior.sampleReference(f.ps, uniforms, f.condition, temperature);
      NDArray fast = f.manager.zeros(new Shape(BATCH, SIDE, SIDE), DataType.INT64);
      FastSamplingStats stats = ReceptiveFieldSampler.sampleInto(f.prior, f.ps, fast, uniforms,
          f.condition, temperature, 0, SIDE * SIDE, null, 1e-7);
      assertTrue(stats.fellBack(), stats.toString());
      assertTrue(stats.worstDiscrepancy() > 0.5, stats.toString());
      assertArrayEquals(reference.toLongArray(), fast.toLongArray());
    }));
  }

  /**
   * Sets uniforms[item, row, col] to the reference's CDF boundary nearest 1/2 at that position
   * (the codes above it are the reference's for these uniforms; the later ones change with it).
   */
  private static void putOnBoundary(Fixture f, NDArray uniforms, int row, int col, int item,
      double temperature) {
    NDArray codes = f.prior.sampleReference(f.ps, uniforms, f.condition, temperature);
    float[] logits = f.prior.logits(f.ps, codes, f.condition, false)
        .get(new NDIndex("{}, :, {}, {}", item, row, col)).toFloatArray();
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / temperature);
    }
    double[] cdf = new double[K];
    double total = 0;
    for (int k = 0; k < K; k++) {
      total += Math.exp(logits[k] / temperature - max);
      cdf[k] = total;
    }
    double best = 0;
    for (int k = 0; k < K; k++) {
      double c = cdf[k] / total;
      best = Math.abs(c - 0.5) < Math.abs(best - 0.5) ? c : best;
    }
    assertTrue(best > 0.1 && best < 0.9, "a boundary near the middle: " + best);
    uniforms.set(new NDIndex("{}, {}, {}", item, row, col), (float) best);
  }

  /** max over items, codes, positions of |fast - full| / (tolerance * max_k |fast_k|). */
  private static double toleranceRatio(NDArray fast, NDArray full, double tolerance) {
    // Items whose logits are all 0 (position (0, 0) unconditioned) have D = 0 and no discrepancy.
    NDArray scale = fast.abs().max(new int[] {1}, true).mul(tolerance).add(Float.MIN_NORMAL);
    return full.sub(fast).abs().div(scale).max().getFloat();
  }

  private record Fixture(NDManager manager, GatedPixelCnn prior, ParameterStore ps,
      PriorCondition condition) {}

  private static void withPrior(int classes, boolean upperLevel, Consumer<Fixture> body) {
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
      NDArray labels = classes > 0 ? manager.create(new long[] {0, 3, 7, 9, 1, 1, 4, 2}) : null;
      NDArray upper = upperLevel ? PriorFixtures.randomCodes(manager, 5, 8, BATCH, 4, 4) : null;
      body.accept(new Fixture(manager, prior, new ParameterStore(manager, false),
          new PriorCondition(labels, upper, null)));
    }
  }

  /** PyTorch's intra-op thread count is process-wide: set for the body, then restored. */
  private static void withThreads(int threads, Runnable body) {
    Engine.getInstance(); // loads the native library JniUtils calls into
    int before = JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    try {
      assertEquals(threads, JniUtils.getNumThreads());
      body.run();
    } finally {
      JniUtils.setNumThreads(before);
    }
  }
}
