package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.vqlab.core.nn.ScalarOps;

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
   * log p(codes | condition) of each item, (B) in nats: the sum over the h x w positions of the
   * log-probability of the code there given the codes before it and the condition. Training,
   * bits/dim and the hierarchy's bound all read the prior's likelihood here. The default is
   * {@link #logProbability(NDArray, NDArray)} of {@link #logits}; a prior may override it (with a
   * cheaper or exact computation) but must return the same values.
   */
  default NDArray logProbability(ParameterStore parameters, NDArray codes, PriorCondition condition,
      boolean training) {
    return logProbability(logits(parameters, codes, condition, training), codes);
  }

  /**
   * The training loss: the mean over every code of the batch of -log p(code | its past, condition)
   * in nats, from {@link #logProbability(ParameterStore, NDArray, PriorCondition, boolean)}.
   */
  default NDArray natsPerCode(ParameterStore parameters, NDArray codes, PriorCondition condition,
      boolean training) {
    NDArray logp = logProbability(parameters, codes, condition, training);
    return ScalarOps.div(logp.mean().neg(), codes.size() / codes.getShape().get(0));
  }

  /**
   * Per item (B) the sum over positions of log softmax(logits) at the given codes, in nats:
   * logits (B, K, h, w), codes (B, h, w) int64.
   */
  static NDArray logProbability(NDArray logits, NDArray codes) {
    long b = codes.getShape().get(0);
    return logits.logSoftmax(1).gather(codes.expandDims(1), 1).reshape(b, -1).sum(new int[] {1});
  }

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
