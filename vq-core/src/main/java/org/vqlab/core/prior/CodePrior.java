package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * An autoregressive prior over a grid of discrete codes. {@link #logits} returns one logit per code
 * value for every position, computed causally in raster order from the codes and the condition.
 * A factory returns it uninitialised: call {@code initialize(manager, FLOAT32, new Shape(1, h, w))}.
 */
public interface CodePrior extends Block {

  int numCodes();

  /** Logits (B, K, h, w) for codes (B, h, w) given the condition (label, codes of upper levels, ...). */
  NDArray logits(ParameterStore parameters, NDArray codes, PriorCondition condition, boolean training);

  /**
   * Ancestral sampling in raster order: codes (B, h, w) int64 on {@code uniforms}' device, where
   * {@code uniforms} (B, h, w) in [0, 1) picks the code at each position by inverse CDF of
   * softmax(logits / temperature) (see {@link AncestralSampling}). The same uniforms give the same
   * codes; draw them with {@link AncestralSampling#uniforms} for a seeded sample. The default is
   * the reference sampler, one full forward pass per position; priors override it with a faster
   * one that gives the same codes.
   */
  default NDArray sample(ParameterStore parameters, NDArray uniforms, PriorCondition condition,
      double temperature) {
    return AncestralSampling.reference(this, parameters, uniforms, condition, temperature);
  }
}
