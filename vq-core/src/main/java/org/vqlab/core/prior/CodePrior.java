package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * An autoregressive prior over a grid of discrete codes. {@link #logits} returns one logit per code
 * value for every position, computed causally in raster order from the codes and the condition.
 */
public interface CodePrior extends Block {

  int numCodes();

  /** Logits (B, K, h, w) for codes (B, h, w) given the condition (label, codes of upper levels, ...). */
  NDArray logits(ParameterStore parameters, NDArray codes, PriorCondition condition, boolean training);
}
