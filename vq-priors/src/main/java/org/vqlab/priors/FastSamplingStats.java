package org.vqlab.priors;

import java.util.List;

/**
 * What the boundary guard of {@link ReceptiveFieldSampler} did in one call.
 *
 * @param positions raster positions sampled
 * @param guardedPositions the positions redone with the full forward pass because some item's
 *     uniform lay within the margin of a CDF boundary (raster indices, in order)
 * @param worstDiscrepancy the largest |fast logit - full logit| / D seen on those positions (D the
 *     per-item tolerance); 0 when none was redone. Below 1/2 the budget is confirmed on this device
 * @param fellBack whether a discrepancy above D / 2 made the sampler redo the whole range with the
 *     reference sampler (then the codes are the reference's by computation, not by the guard)
 */
public record FastSamplingStats(int positions, List<Integer> guardedPositions, double worstDiscrepancy,
    boolean fellBack) {

  public FastSamplingStats {
    guardedPositions = List.copyOf(guardedPositions);
  }

  /** Share of positions that needed the full pass. */
  public double guardRate() {
    return positions == 0 ? 0 : guardedPositions.size() / (double) positions;
  }
}
