package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.PriorCondition;

/**
 * Ancestral sampling of a {@link GatedPixelCnn} that computes only what each position needs, and
 * draws exactly the codes of {@link AncestralSampling#reference} (one full pass per position).
 *
 * <p>Computation: the vertical stack's links into row r depend only on rows r - reach - 1 .. r - 1,
 * so they are computed once per row on that window; the horizontal stack at (r, c) depends only on
 * columns c - reach .. c of row r and of those links, so each position runs the horizontal stack on
 * that window of one row and the head on one column. The conditioning maps are computed once.
 *
 * <p>Why it needs a guard: every value takes the same inputs as in the full pass, but the
 * convolution kernels sum in an order that depends on the spatial size (and the batch size and
 * thread count), so the logits differ from the full pass by a few float32 roundings (measured on
 * the CPU: up to 5e-7 of the item's max |logit|, K = 512; bit-identical in some settings only).
 * Without care a uniform occasionally falls between the two CDFs and a code flips (about 1e-5 per
 * code at K = 512); a full pass on only the affected items does not help either, since a sub-batch
 * pass is not bit-identical to the full-batch one (measured: up to 2.4e-6 at batch 1).
 *
 * <p>The guarantee: both samplers pick from the same uniforms with the same float64 inverse CDF
 * ({@link AncestralSampling#pickWithin}). The tolerance D = {@value #LOGIT_TOLERANCE} * max_k
 * |logit_k| per item (about 84 float32 epsilons, 20x the largest measured discrepancy) bounds how
 * far the full pass's CDF can be from this one, and when any item's uniform lies within that
 * margin of a CDF boundary, the position is redone exactly as the reference does it (a full pass on
 * the whole batch at the current codes). So, by induction over positions, the codes equal the
 * reference's whenever |fast - full| <= D for every logit. That premise is measured, not proven
 * (SamplerEquivalenceTest asserts the discrepancy stays under D / 4), and checked at run time:
 * each redone position measures it, and if it ever exceeds D / 2 (a device or kernel much less
 * precise than measured, e.g. TF32 convolutions) the whole range is redone with the reference
 * sampler, so the codes stay the reference's (slowly) instead of silently diverging; a call that
 * redoes no position has no such check. The cost: the guard itself is a float64
 * pick (under 1 ms at batch 64, K = 512), and a redone position costs one full pass; for
 * near-uniform logits a share of about 2 B K D / (3 T) of the positions is redone (sum over
 * boundaries of twice the margin; 4.4% at batch 64, K = 512, max |logit| 0.2, as in
 * SamplingBenchmark), fewer for peaked distributions, whose CDF sits near 0 or 1.
 */
final class ReceptiveFieldSampler {
  private static final Logger LOG = LoggerFactory.getLogger(ReceptiveFieldSampler.class);

  /** Per-logit tolerance relative to the item's largest |logit|; see the class comment. */
  static final double LOGIT_TOLERANCE = 1e-5;

  private ReceptiveFieldSampler() {}

  static NDArray sample(GatedPixelCnn prior, ParameterStore ps, NDArray uniforms,
      PriorCondition condition, double temperature) {
    Shape s = uniforms.getShape();
    NDManager manager = uniforms.getManager();
    NDArray codes = manager.zeros(s, DataType.INT64, uniforms.getDevice());
    sampleInto(prior, ps, codes, uniforms, condition, temperature, 0,
        Math.toIntExact(s.get(1) * s.get(2)), null, LOGIT_TOLERANCE);
    return codes;
  }

  /**
   * Samples positions [from, to) in raster order into {@code codes}, the others left as they are.
   * When {@code logitsOut} (B, K, h, w) is given, the logits each code was drawn from go there.
   * {@code tolerance} < 0 turns the guard off (then the codes may differ from the reference's).
   */
  static FastSamplingStats sampleInto(GatedPixelCnn prior, ParameterStore ps, NDArray codes,
      NDArray uniforms, PriorCondition condition, double temperature, int from, int to,
      NDArray logitsOut, double tolerance) {
    int w = Math.toIntExact(codes.getShape().get(2));
    int reach = prior.reach();
    List<Integer> guarded = new ArrayList<>();
    double worst = 0;
    try (NDManager sampling = codes.getManager().newSubManager()) {
      NDArray cond = prior.conditioning(ps, AncestralSampling.scoped(condition, sampling), false);
      boolean spatial = cond != null && cond.getShape().get(2) > 1;
      for (int r = from / w; r * w < to; r++) {
        try (NDManager row = sampling.newSubManager()) {
          int r0 = Math.max(0, r - reach - 1);
          NDArray window = slice(codes, new NDIndex(":, {}:{}, :", r0, r + 1), row);
          NDArray condRows = cond == null ? null
              : spatial ? slice(cond, new NDIndex(":, :, {}:{}, :", r0, r + 1), row) : cond;
          NDArray[] links = prior.verticalStack(ps, prior.embedding().maps(ps, window, false),
              condRows, false);
          for (int l = 0; l < links.length; l++) {
            links[l] = slice(links[l], new NDIndex(":, :, {}:{}, :", r - r0, r - r0 + 1), row);
          }
          NDArray condRow = condRows == null ? null
              : spatial ? slice(condRows, new NDIndex(":, :, {}:{}, :", r - r0, r - r0 + 1), row) : condRows;
          for (int c = Math.max(0, from - r * w); c < w && r * w + c < to; c++) {
            try (NDManager cell = row.newSubManager()) {
              int c0 = Math.max(0, c - reach);
              NDIndex cols = new NDIndex(":, :, :, {}:{}", c0, c + 1);
              NDArray x = prior.embedding().maps(ps,
                  slice(codes, new NDIndex(":, {}:{}, {}:{}", r, r + 1, c0, c + 1), cell), false);
              NDArray[] linkWindow = new NDArray[links.length];
              for (int l = 0; l < links.length; l++) {
                linkWindow[l] = slice(links[l], cols, cell);
              }
              NDArray condCell = condRow == null ? null : spatial ? slice(condRow, cols, cell) : condRow;
              NDArray skipSum = prior.horizontalStack(ps, x, linkWindow, condCell, false);
              NDArray last = skipSum.get(new NDIndex(":, :, :, {}:{}", c - c0, c - c0 + 1));
              NDArray logits = prior.head(ps, last, false).squeeze(new int[] {2, 3});
              NDIndex at = new NDIndex(":, {}, {}", r, c);
              NDArray u = slice(uniforms, at, cell);
              AncestralSampling.GuardedPick pick =
                  AncestralSampling.pickWithin(logits, u, temperature, tolerance);
              NDArray drawn = pick.codes();
              // One boolean to the host per position.
              if (pick.nearBoundary() != null && pick.nearBoundary().any().getBoolean()) {
                // Exactly AncestralSampling.referenceInto's computation at this position.
                NDArray full = prior.logits(ps, AncestralSampling.scoped(codes, cell),
                    AncestralSampling.scoped(condition, cell), false).get(new NDIndex(":, :, {}, {}", r, c));
                worst = Math.max(worst, discrepancy(logits, full, tolerance));
                guarded.add(r * w + c);
                logits = full;
                drawn = AncestralSampling.pick(full, u, temperature);
              }
              if (logitsOut != null) {
                logitsOut.set(new NDIndex(":, :, {}, {}", r, c), logits);
              }
              codes.set(at, drawn);
            }
          }
          if (worst > 0.5) {
            return fallBack(prior, ps, codes, uniforms, condition, temperature, from, to, logitsOut,
                guarded, worst);
          }
        }
      }
    }
    return new FastSamplingStats(to - from, guarded, worst, false);
  }

  /** max over items and codes of |fast - full| / D, D = tolerance * max_k |fast_k| per item. */
  private static double discrepancy(NDArray fast, NDArray full, double tolerance) {
    NDArray d = fast.abs().max(new int[] {1}).mul(fast.getManager().create((float) tolerance)
        .toDevice(fast.getDevice(), false));
    return full.sub(fast).abs().max(new int[] {1}).div(d.add(Float.MIN_NORMAL)).max().getFloat();
  }

  /** The tolerance did not hold here: the reference sampler over the whole range. */
  private static FastSamplingStats fallBack(GatedPixelCnn prior, ParameterStore ps, NDArray codes,
      NDArray uniforms, PriorCondition condition, double temperature, int from, int to,
      NDArray logitsOut, List<Integer> guarded, double worst) {
    LOG.warn("fast sampler: logits differ from the full pass by {} x the tolerance {} (max |logit|"
        + " relative); redoing positions {}..{} with the reference sampler", worst,
        LOGIT_TOLERANCE, from, to - 1);
    AncestralSampling.referenceInto(prior, ps, codes, uniforms, condition, temperature, from, to);
    if (logitsOut != null) {
      // By causality the full pass over the final codes holds every logit the reference drew from.
      try (NDManager scope = codes.getManager().newSubManager()) {
        NDArray full = prior.logits(ps, AncestralSampling.scoped(codes, scope),
            AncestralSampling.scoped(condition, scope), false);
        int w = Math.toIntExact(codes.getShape().get(2));
        for (int p = from; p < to; p++) {
          NDIndex at = new NDIndex(":, :, {}, {}", p / w, p % w);
          logitsOut.set(at, full.get(at));
        }
      }
    }
    return new FastSamplingStats(to - from, guarded, worst, true);
  }

  /** a[index], owned by {@code scope}. */
  private static NDArray slice(NDArray a, NDIndex index, NDManager scope) {
    NDArray part = a.get(index);
    part.attach(scope);
    return part;
  }
}
