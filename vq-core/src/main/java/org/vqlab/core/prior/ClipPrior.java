package org.vqlab.core.prior;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A prior over clips of code grids that factorises over time: p(z_1..z_T) = prod_t p(z_t | z_<t),
 * each frame an autoregressive grid (a {@link CodePrior}) conditioned on up to {@link #context()}
 * earlier frames. Frames before the clip's start are a learned "no frame" start, so the first
 * frame is modelled like an image. As a {@link CodePrior} it models one frame given
 * {@link PriorCondition#pastCodes()} (B, T', h, w), earlier frames first (null or T' = 0: none).
 * Clips are int64 (B, T, h, w); labels (B) or null when the prior is not class-conditional.
 */
public interface ClipPrior extends CodePrior {

  /** How many past frames each frame is conditioned on. */
  int context();

  /** Logits (B, T, K, h, w): every frame of the clip given its past, in one batched pass. */
  NDArray clipLogits(ParameterStore parameters, NDArray clip, NDArray labels, boolean training);

  /** The training loss: mean over every code of the clip of -log p(code | its past) in nats. */
  NDArray clipNats(ParameterStore parameters, NDArray clip, NDArray labels, boolean training);

  /**
   * Bits per code of each frame (B, T), the mean over its positions, given its past
   * ({@code withPast}) or with the past replaced by the start ("without the past").
   */
  NDArray frameBits(ParameterStore parameters, NDArray clip, NDArray labels, boolean withPast);

  /**
   * The clip with frames {@code given} .. T - 1 sampled frame by frame (each in raster order,
   * by inverse CDF of softmax(logits / temperature) at {@code uniforms} (B, T, h, w)) and frames
   * before {@code given} kept; a new array (B, T, h, w) owned by {@code clip}'s manager.
   */
  NDArray sampleFuture(ParameterStore parameters, NDArray clip, int given, NDArray uniforms,
      NDArray labels, double temperature);
}
