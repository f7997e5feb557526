package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;

/**
 * What a prior is conditioned on; each part may be null: class labels (B), the codes of the level
 * above (B, h', w'), or past frames' codes (B, T', h, w).
 */
public record PriorCondition(NDArray labels, NDArray upperCodes, NDArray pastCodes) {
  public static final PriorCondition NONE = new PriorCondition(null, null, null);
}
