package org.vqlab.core.prior;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.vqlab.core.nn.ScalarOps;

/**
 * Ancestral sampling shared by every prior. All randomness is one array of uniforms (B, h, w) drawn
 * up front, and each code is the inverse CDF of softmax(logits / T) at that uniform, so two samplers
 * that compute the same logits give the same codes by construction.
 */
public final class AncestralSampling {
  private AncestralSampling() {}

  /**
   * Uniforms in [0, 1) of shape (batch, h, w) on {@code device}, from PyTorch's generator reseeded
   * with {@code seed} (this reseeds the engine's global generator).
   */
  public static NDArray uniforms(NDManager manager, Device device, long batch, int height, int width,
      int seed) {
    Engine.getInstance().setRandomSeed(seed);
    return manager.randomUniform(0f, 1f, new Shape(batch, height, width), DataType.FLOAT32, device);
  }

  /**
   * Codes (B) int64: the smallest k with CDF_k > u under softmax(logits (B, K) / temperature); u is
   * (B). Ties at a CDF boundary go to the larger code; rounding can leave CDF_{K-1} below u, which
   * is clamped to K - 1.
   */
  public static NDArray pick(NDArray logits, NDArray u, double temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    long k = logits.getShape().get(1);
    NDArray scaled = temperature == 1.0 ? logits : ScalarOps.div(logits, temperature);
    NDArray cdf = scaled.softmax(1).cumSum(1);
    NDArray below = cdf.lte(u.expandDims(1)).toType(DataType.INT64, false).sum(new int[] {1});
    return below.clip(0, k - 1);
  }

  /**
   * The reference sampler: for every position in raster order one full forward pass over the whole
   * grid, then {@link #pick} at that position. Slow (h * w passes), kept as the ground truth that
   * faster samplers are tested against.
   */
  public static NDArray reference(CodePrior prior, ParameterStore parameters, NDArray uniforms,
      PriorCondition condition, double temperature) {
    Shape s = uniforms.getShape();
    NDArray codes = uniforms.getManager().zeros(s, DataType.INT64, uniforms.getDevice());
    referenceInto(prior, parameters, codes, uniforms, condition, temperature, 0,
        Math.toIntExact(s.get(1) * s.get(2)));
    return codes;
  }

  /**
   * The reference sampler over raster positions [from, to) only, writing into {@code codes}
   * (B, h, w) int64 and reading the codes already there elsewhere (for benchmarks on a few
   * positions, and for completing a partly given grid).
   */
  public static void referenceInto(CodePrior prior, ParameterStore parameters, NDArray codes,
      NDArray uniforms, PriorCondition condition, double temperature, int from, int to) {
    int w = Math.toIntExact(codes.getShape().get(2));
    for (int p = from; p < to; p++) {
      int r = p / w;
      int c = p % w;
      // Each pass in its own scope: inputs are copied in so every intermediate is freed with it.
      try (NDManager step = codes.getManager().newSubManager()) {
        NDArray logits = prior.logits(parameters, scoped(codes, step), scoped(condition, step), false);
        NDIndex at = new NDIndex(":, {}, {}", r, c);
        NDArray u = uniforms.get(at);
        u.attach(step);
        codes.set(at, pick(logits.get(new NDIndex(":, :, {}, {}", r, c)), u, temperature));
      }
    }
  }

  /** A copy of {@code a} owned by {@code manager} (null stays null). */
  public static NDArray scoped(NDArray a, NDManager manager) {
    if (a == null) {
      return null;
    }
    NDArray copy = a.duplicate();
    copy.attach(manager);
    return copy;
  }

  /** The condition with every part copied into {@code manager}. */
  public static PriorCondition scoped(PriorCondition condition, NDManager manager) {
    if (condition == null) {
      return PriorCondition.NONE;
    }
    return new PriorCondition(scoped(condition.labels(), manager),
        scoped(condition.upperCodes(), manager), scoped(condition.pastCodes(), manager));
  }
}
