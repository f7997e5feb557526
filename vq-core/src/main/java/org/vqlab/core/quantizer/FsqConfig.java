package org.vqlab.core.quantizer;

import java.util.List;

/**
 * The {@code quantizer} section for {@code type = fsq}: finite scalar quantisation (Mentzer et al.
 * 2023). Channel c is bounded to L_c values and rounded; K = prod levels, D = number of levels.
 *
 * @param levels L_c per channel, each >= 2 (the paper's 9-10 bit grids: [8, 8, 8], [8, 5, 5, 5])
 * @param scale data (learned per-channel normalisation initialised from the first batch) or none
 * @param boundEpsilon epsilon of the bound tanh(z + shift) (L - 1)(1 - epsilon) / 2 - offset,
 *     which keeps the bounded value strictly inside the outermost rounding interval; in [0, 1)
 */
public record FsqConfig(List<Integer> levels, FsqScale scale, double boundEpsilon) {

  public FsqConfig {
    GridQuantizer.checkLevels("levels", levels);
    QuantizerChecks.notNull("scale", scale);
    if (!(boundEpsilon >= 0 && boundEpsilon < 1)) {
      throw new IllegalArgumentException("bound_epsilon must be in [0, 1), got " + boundEpsilon);
    }
    levels = List.copyOf(levels);
  }
}
