package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * What a prior is conditioned on; each part may be null: class labels (B), the codes of the level
 * above (B, h', w'), or past frames' codes (B, T', h, w).
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
    if (level < 0 || level > levels.size()) {
      throw new IllegalArgumentException("level " + level + " of a hierarchy given "
          + levels.size() + " levels above or at it");
    }
    NDArray upper = level == 0 ? null : levels.get(level - 1);
    if (upper != null && upper.getDataType() != DataType.INT64) {
      upper = upper.toType(DataType.INT64, false);
    }
    return new PriorCondition(labels, upper, null);
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
      Shape s = upperCodes.getShape();
      u = upperCodes.reshape(-1, s.get(2), s.get(3));
    }
    return new PriorCondition(l, u, null);
  }
}
