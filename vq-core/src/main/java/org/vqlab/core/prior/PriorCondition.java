package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * What a prior is conditioned on; each part may be null: class labels (B), the codes of the level
 * above (B, h', w') (or of G grids, (B, G, h', w'): see {@link #ofGrid}), or past frames' codes
 * (B, T', h, w).
 */
public record PriorCondition(NDArray labels, NDArray upperCodes, NDArray pastCodes) {
  public static final PriorCondition NONE = new PriorCondition(null, null, null);

  /**
   * The condition of level {@code level} (0 = top) of a hierarchy whose code grids are
   * {@code levels} (top first; only levels 0 .. level - 1 are read, so a sampler may pass the
   * levels drawn so far): the labels, and below the top the codes of the level just above, as
   * int64. Every stage that trains, samples or scores a hierarchy conditions through here.
   */
  public static PriorCondition ofLevel(NDArray labels, List<NDArray> levels, int level) {
    return ofGrid(labels, levels, java.util.Collections.nCopies(level + 1, 0), level);
  }

  /**
   * The condition of code grid {@code grid} (0 = top) of a hierarchy whose grids have the given
   * {@code stages} (see {@code CodeLevel#stage}): stage s + 1 of a residual level (stage s > 0) is
   * conditioned on the s stages before it, at the same resolution; the first grid of a level
   * below the top on every grid of the level above (one grid for a level of single codes, as
   * {@link #ofLevel}). One conditioning grid is given as (B, h', w'), G of them stacked before
   * the grid axes, (B, G, h', w') (clips: (B, T, G, h', w')).
   */
  public static PriorCondition ofGrid(NDArray labels, List<NDArray> grids, List<Integer> stages,
      int grid) {
    if (grid < 0 || grid > grids.size()) {
      throw new IllegalArgumentException("code grid " + grid + " of a hierarchy given "
          + grids.size() + " grids above or at it");
    }
    int[] range = conditioningGrids(stages, grid);
    if (range[0] == range[1]) {
      return new PriorCondition(labels, null, null);
    }
    NDList upper = new NDList();
    for (int g = range[0]; g < range[1]; g++) {
      NDArray codes = grids.get(g);
      upper.add(codes.getDataType() == DataType.INT64 ? codes : codes.toType(DataType.INT64, false));
    }
    if (upper.size() == 1) {
      return new PriorCondition(labels, upper.get(0), null);
    }
    int axis = upper.get(0).getShape().dimension() - 2;
    return new PriorCondition(labels, NDArrays.stack(upper, axis), null);
  }

  /**
   * The grids [from, to) that grid {@code grid} is conditioned on, given every grid's stage: the
   * stages before it within its level, or for a level's first grid every grid of the level above
   * (the run of grids ending at {@code grid - 1} back to its stage 0); none for the top.
   */
  public static int[] conditioningGrids(List<Integer> stages, int grid) {
    int stage = stages.get(grid);
    if (stage > 0) {
      if (stage > grid) {
        throw new IllegalArgumentException("grid " + grid + " is stage " + (stage + 1)
            + " but only " + grid + " grids come before it");
      }
      return new int[] {grid - stage, grid};
    }
    if (grid == 0) {
      return new int[] {0, 0};
    }
    return new int[] {grid - 1 - stages.get(grid - 1), grid};
  }

  /**
   * This condition of clips (B, T, ...) for their frames folded into the batch (B T, ...), as an
   * image prior models the frames of clips: labels repeated per frame and upper codes (B, T, h',
   * w') folded to (B T, h', w'). Past codes have no per-frame meaning here and must be null.
   */
  public PriorCondition perFrame(long frames) {
    if (pastCodes != null) {
      throw new IllegalArgumentException("a condition on past frames cannot be folded per frame");
    }
    NDArray l = labels == null ? null : labels.expandDims(1).repeat(1, frames).reshape(-1);
    NDArray u = null;
    if (upperCodes != null) {
      // (B, T, h', w') -> (B T, h', w'); G stacked grids (B, T, G, h', w') -> (B T, G, h', w').
      Shape s = upperCodes.getShape();
      u = upperCodes.reshape(new Shape(-1).addAll(s.slice(2)));
    }
    return new PriorCondition(l, u, null);
  }
}
