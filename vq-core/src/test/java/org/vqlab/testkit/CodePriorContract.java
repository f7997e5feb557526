package org.vqlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * What every prior plugin must satisfy, checked under each of {@link #contexts()} (by default an
 * unconditional prior and one conditioned on a class and on a 2 x 2 upper level): the logits at
 * every position are unchanged by the codes at or after it and do read the earlier codes and the
 * condition; the prior's fast {@code sample} gives exactly the codes of the reference sampler
 * ({@link AncestralSampling#reference}) from the same uniforms; {@code logProbability} is the sum
 * over positions of log softmax(logits) at the codes (computed here on the host) and
 * {@code natsPerCode} its mean per code, a loss with finite gradients; the probabilities of all
 * K^4 grids of a 2 x 2 grid sum to 1; a save/load round trip gives identical logits.
 *
 * <p>Extend it and build the prior as its factory does, uninitialised:
 *
 * <pre>{@code
 * class MyPriorContractTest extends CodePriorContract {
 *   protected CodePrior create(PriorContext context) {
 *     return new MyPriorFactory().create(PluginConfigs.prior("my_prior", "channels = 8"), context);
 *   }
 * }
 * }</pre>
 *
 * A prior that supports fewer conditions overrides {@link #contexts()}. For a {@link ClipPrior}
 * the condition also holds {@code ClipPrior.context()} past frames; extend
 * {@link ClipPriorContract} to check the clip methods too.
 */
public abstract class CodePriorContract {
  protected NDManager manager;
  protected ParameterStore parameters;

  /** A new, uninitialised prior for {@code context}, configured alike on every call. */
  protected abstract CodePrior create(PriorContext context);

  /** The contexts checked: unconditional, and 3 classes plus a 2 x 2 upper level of 3 codes. */
  protected List<PriorContext> contexts() {
    return List.of(new PriorContext(5, 4, 4, 0, 0, 0, 0), new PriorContext(5, 4, 4, 3, 2, 2, 3));
  }

  @BeforeEach
  void openManager() {
    Engine.getInstance().setRandomSeed(29);
    manager = NDManager.newBaseManager();
    parameters = new ParameterStore(manager, false);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** A fresh prior from {@link #create}, initialised for (1, h, w) as a factory's caller does. */
  protected CodePrior initialized(PriorContext context) {
    CodePrior prior = create(context);
    prior.initialize(manager, DataType.FLOAT32, new Shape(1, context.height(), context.width()));
    return prior;
  }

  /**
   * A random condition for {@code batch} items under {@code context}: labels in [0, classes),
   * upper codes, and for a {@link ClipPrior} its {@code context()} past frames.
   */
  protected PriorCondition condition(CodePrior prior, PriorContext context, long batch, long seed) {
    NDArray labels = context.numClasses() == 0 ? null
        : codes(seed, context.numClasses(), batch);
    NDArray upper = context.upperNumCodes() == 0 ? null
        : codes(seed + 1, context.upperNumCodes(), batch, context.upperHeight(),
            context.upperWidth());
    NDArray past = prior instanceof ClipPrior clip
        ? codes(seed + 2, context.numCodes(), batch, clip.context(), context.height(),
            context.width())
        : null;
    return new PriorCondition(labels, upper, past);
  }

  /** Uniformly random int64 codes in [0, k) of {@code shape}, from a seed. */
  protected NDArray codes(long seed, int k, long... shape) {
    Random random = new Random(seed);
    long[] values = new long[Math.toIntExact(new Shape(shape).size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(k);
    }
    return manager.create(values, new Shape(shape));
  }

  /** Every part of the condition (one item) repeated {@code n} times along the batch. */
  protected static PriorCondition repeated(PriorCondition c, long n) {
    return new PriorCondition(c.labels() == null ? null : c.labels().repeat(0, n),
        c.upperCodes() == null ? null : c.upperCodes().repeat(0, n),
        c.pastCodes() == null ? null : c.pastCodes().repeat(0, n));
  }

  @Test
  void logitsAtEveryPositionIgnoreTheCodesAtAndAfterIt() {
    for (PriorContext context : contexts()) {
      CodePrior prior = initialized(context);
      int h = context.height();
      int w = context.width();
      int n = h * w;
      int k = context.numCodes();
      // Variant 0: the base grid; 1 + q: the code at q changed; 1 + n + q: every code >= q redrawn.
      long[] base = codes(3, k, n).toLongArray();
      Random random = new Random(4);
      int variants = 1 + 2 * n;
      long[] all = new long[variants * n];
      for (int v = 0; v < variants; v++) {
        System.arraycopy(base, 0, all, v * n, n);
      }
      for (int q = 0; q < n; q++) {
        all[(1 + q) * n + q] = (base[q] + 1 + random.nextInt(k - 1)) % k;
        for (int p = q; p < n; p++) {
          all[(1 + n + q) * n + p] = (base[p] + 1 + random.nextInt(k - 1)) % k;
        }
      }
      PriorCondition condition = repeated(condition(prior, context, 1, 5), variants);
      float[] logits = prior.logits(parameters, manager.create(all, new Shape(variants, h, w)),
          condition, false).toFloatArray();
      assertEquals((long) variants * k * n, logits.length, "logits must be (B, K, h, w)");
      for (int q = 0; q < n; q++) {
        for (int p = 0; p <= q; p++) {
          assertEquals(0.0, maxDifference(logits, k, n, 0, 1 + q, p), context + ": logits at "
              + p + " depend on the code at " + q + " (raster order)");
          assertEquals(0.0, maxDifference(logits, k, n, 0, 1 + n + q, p), context + ": logits at "
              + p + " depend on the codes from " + q + " on");
        }
      }
      assertTrue(maxDifference(logits, k, n, 0, 1, 1) > 0,
          context + ": the logits at position 1 ignore the code at position 0");
    }
  }

  @Test
  void logitsReadTheCondition() {
    for (PriorContext context : contexts()) {
      CodePrior prior = initialized(context);
      NDArray grid = codes(6, context.numCodes(), 2, context.height(), context.width());
      PriorCondition c = condition(prior, context, 2, 7);
      NDArray logits = prior.logits(parameters, grid, c, false);
      if (c.labels() != null) {
        NDArray other = c.labels().add(1).mod(context.numClasses());
        assertTrue(changes(prior, grid, logits, new PriorCondition(other, c.upperCodes(),
            c.pastCodes())), context + ": the logits ignore the labels");
      }
      if (c.upperCodes() != null) {
        NDArray other = c.upperCodes().add(1).mod(context.upperNumCodes());
        assertTrue(changes(prior, grid, logits, new PriorCondition(c.labels(), other,
            c.pastCodes())), context + ": the logits ignore the upper codes");
      }
      if (c.pastCodes() != null) {
        NDArray other = c.pastCodes().add(1).mod(context.numCodes());
        assertTrue(changes(prior, grid, logits, new PriorCondition(c.labels(), c.upperCodes(),
            other)), context + ": the logits ignore the past frames");
      }
    }
  }

  private boolean changes(CodePrior prior, NDArray grid, NDArray logits, PriorCondition other) {
    return prior.logits(parameters, grid, other, false).sub(logits).abs().max().getFloat() > 0;
  }

  @Test
  void fastSamplerGivesTheReferenceSamplersCodes() {
    for (PriorContext context : contexts()) {
      CodePrior prior = initialized(context);
      PriorCondition c = condition(prior, context, 3, 8);
      for (double temperature : new double[] {1.0, 0.5}) {
        NDArray uniforms = AncestralSampling.uniforms(manager, manager.getDevice(), 3,
            context.height(), context.width(), 9);
        NDArray fast = prior.sample(parameters, uniforms, c, temperature);
        NDArray reference = AncestralSampling.reference(prior, parameters, uniforms, c,
            temperature);
        assertEquals(reference.getShape(), fast.getShape());
        assertArrayEquals(reference.toLongArray(), fast.toType(DataType.INT64, false).toLongArray(),
            context + ", temperature " + temperature);
      }
    }
  }

  @Test
  void logProbabilityIsTheSumOfPerPositionLogSoftmax() {
    for (PriorContext context : contexts()) {
      CodePrior prior = initialized(context);
      int b = 3;
      int k = context.numCodes();
      int n = context.height() * context.width();
      NDArray grid = codes(10, k, b, context.height(), context.width());
      PriorCondition c = condition(prior, context, b, 11);
      float[] logits = prior.logits(parameters, grid, c, false).toFloatArray();
      long[] z = grid.toLongArray();
      NDArray logp = prior.logProbability(parameters, grid, c, false);
      assertEquals(new Shape(b), logp.getShape(), "logProbability must be (B)");
      float[] got = logp.toFloatArray();
      double total = 0;
      for (int i = 0; i < b; i++) {
        double sum = 0;
        for (int p = 0; p < n; p++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < k; v++) {
            max = Math.max(max, logits[(i * k + v) * n + p]);
          }
          double norm = 0;
          for (int v = 0; v < k; v++) {
            norm += Math.exp(logits[(i * k + v) * n + p] - max);
          }
          sum += logits[(i * k + (int) z[i * n + p]) * n + p] - max - Math.log(norm);
        }
        assertEquals(sum, got[i], 1e-4 * Math.max(1, Math.abs(sum)), context + ", item " + i);
        total += sum;
      }
      assertEquals(-total / (b * n), prior.natsPerCode(parameters, grid, c, false).getFloat(),
          1e-5 * Math.max(1, Math.abs(total / (b * n))), context + ": natsPerCode");
    }
  }

  @Test
  void probabilitiesOfEveryGridSumToOne() {
    for (PriorContext large : contexts()) {
      // 3 codes on a 2 x 2 grid (81 grids), the upper level 1 x 1.
      PriorContext context = new PriorContext(3, 2, 2, large.upperNumCodes() > 0 ? 3 : 0,
          large.upperNumCodes() > 0 ? 1 : 0, large.upperNumCodes() > 0 ? 1 : 0, large.numClasses());
      CodePrior prior = initialized(context);
      long[] all = new long[81 * 4];
      for (int g = 0; g < 81; g++) {
        for (int p = 0, rest = g; p < 4; p++, rest /= 3) {
          all[g * 4 + p] = rest % 3;
        }
      }
      for (long seed = 0; seed < 2; seed++) {
        PriorCondition c = repeated(condition(prior, context, 1, 12 + seed), 81);
        NDArray logp = prior.logProbability(parameters, manager.create(all, new Shape(81, 2, 2)),
            c, false);
        double total = 0;
        for (float v : logp.toFloatArray()) {
          total += Math.exp(v);
        }
        assertEquals(1.0, total, 1e-4, context + ": sum over all grids of p(grid | condition)");
      }
    }
  }

  @Test
  void natsPerCodeIsALossWithFiniteGradients() {
    for (PriorContext context : contexts()) {
      CodePrior prior = initialized(context);
      NDArray grid = codes(13, context.numCodes(), 4, context.height(), context.width());
      PriorCondition c = condition(prior, context, 4, 14);
      NDArray loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = prior.natsPerCode(parameters, grid, c, true);
        gc.backward(loss);
      }
      assertEquals(1, loss.size());
      assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0, "loss " + loss.getFloat());
      double largest = 0;
      for (var p : prior.getParameters()) {
        if (p.getValue().requiresGradient()) {
          NDArray g = p.getValue().getArray().getGradient();
          float m = g.abs().max().getFloat();
          assertTrue(Float.isFinite(m), p.getKey() + " gradient");
          largest = Math.max(largest, m);
        }
      }
      assertTrue(largest > 0, context + ": no parameter gets a gradient from natsPerCode");
    }
  }

  @Test
  void saveAndLoadGiveIdenticalLogits() throws Exception {
    for (PriorContext context : contexts()) {
      CodePrior original = initialized(context);
      CodePrior loaded = initialized(context);
      NDArray grid = codes(15, context.numCodes(), 2, context.height(), context.width());
      PriorCondition c = condition(original, context, 2, 16);
      NDArray before = loaded.logits(parameters, grid, c, false);
      SavedParameters.copy(original, loaded, manager);
      // A new store: a ParameterStore keeps the arrays it handed out before the load.
      NDArray a = original.logits(parameters, grid, c, false);
      NDArray b = loaded.logits(new ParameterStore(manager, false), grid, c, false);
      assertTrue(a.sub(before).abs().max().getFloat() > 0,
          context + ": two fresh priors should differ before the load");
      assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f, context.toString());
    }
  }

  /** max_k |logits[v1, k, p] - logits[v2, k, p]| for logits (V, K, n) flattened. */
  private static double maxDifference(float[] logits, int k, int n, int v1, int v2, int p) {
    double max = 0;
    for (int c = 0; c < k; c++) {
      max = Math.max(max, Math.abs(logits[(v1 * k + c) * n + p] - logits[(v2 * k + c) * n + p]));
    }
    return max;
  }
}
