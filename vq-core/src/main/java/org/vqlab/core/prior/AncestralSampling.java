package org.vqlab.core.prior;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

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
   * (B). The softmax and the CDF are computed in float64 from the (float32) logits, so the CDF
   * carries no float32 rounding (which, summed over K codes, would be ~1e-6) and two samplers whose
   * logits agree give CDFs that agree to ~1e-16. Ties at a CDF boundary go to the larger code;
   * rounding can leave CDF_{K-1} below u, which is clamped to K - 1.
   */
  public static NDArray pick(NDArray logits, NDArray u, double temperature) {
    return pickWithin(logits, u, temperature, -1).codes();
  }

  /** Codes from {@link #pick}, and per item whether another sampler's logits could change them. */
  public record GuardedPick(NDArray codes, NDArray nearBoundary) {}

  /**
   * {@link #pick}, plus for each item whether u lies so close to a CDF boundary that logits
   * differing from these by up to D = {@code tolerance} * max_k |logits_k| (per item, per code)
   * could pick a different code. Exact bound: if every |delta_k| <= D, the true CDF C and this one
   * C' satisfy |C - C'| <= (exp(2 D / T) - 1) C'(1 - C') (the mass below and above a boundary each
   * change by a factor within exp(+-D / T)); the margin adds 1e-11 for the float64 rounding of the
   * two CDFs. Only the two boundaries around u matter (the CDF is monotone), so u outside both
   * margins means both logits give the same code. {@code tolerance} < 0: nothing is flagged.
   */
  public static GuardedPick pickWithin(NDArray logits, NDArray u, double temperature,
      double tolerance) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    long k = logits.getShape().get(1);
    NDArray wide = logits.toType(DataType.FLOAT64, false);
    // No autograd here, so plain float64 constants (ScalarOps rounds its constants to float).
    NDArray scaled = temperature == 1.0 ? wide : wide.mul(scalar(wide, 1.0 / temperature));
    NDArray cdf = scaled.softmax(1).cumSum(1);
    NDArray uWide = u.toType(DataType.FLOAT64, false);
    NDArray belowMask = cdf.lte(uWide.expandDims(1));
    NDArray codes = belowMask.toType(DataType.INT64, false).sum(new int[] {1}).clip(0, k - 1);
    if (tolerance < 0) {
      return new GuardedPick(codes, null);
    }
    NDArray below = belowMask.toType(DataType.FLOAT64, false);
    // The largest CDF value <= u (0 if none) and the smallest > u (>= 2 if none, never near u).
    NDArray lower = cdf.mul(below).max(new int[] {1});
    NDArray upper = cdf.add(below.mul(scalar(below, 2.0))).min(new int[] {1});
    NDArray twoD = wide.abs().max(new int[] {1}).mul(scalar(wide, 2 * tolerance / temperature));
    NDArray factor = twoD.exp().sub(scalar(wide, 1.0));
    NDArray nearLower = uWide.sub(lower).lt(margin(factor, lower));
    NDArray nearUpper = upper.sub(uWide).lt(margin(factor, upper.clip(0, 1)));
    return new GuardedPick(codes, nearLower.logicalOr(nearUpper));
  }

  private static NDArray margin(NDArray factor, NDArray c) {
    return factor.mul(c).mul(scalar(c, 1.0).sub(c)).add(scalar(c, 1e-11));
  }

  /** A float64 0-dim constant on {@code like}'s device. */
  private static NDArray scalar(NDArray like, double value) {
    return like.getManager().create(value).toDevice(like.getDevice(), false);
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
