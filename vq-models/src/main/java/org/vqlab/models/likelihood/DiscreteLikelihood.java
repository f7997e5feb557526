package org.vqlab.models.likelihood;

import ai.djl.ndarray.NDArray;

/**
 * A likelihood with a per-pixel discrete log-probability over the 256 values: the loss is its
 * negated mean and log p(x | z) its sum over each image.
 */
abstract class DiscreteLikelihood implements DecoderLikelihood {

  /** log P(x) per pixel (B, C, H, W) in nats. */
  abstract NDArray pixelLogProb(NDArray decoded, NDArray images);

  @Override
  public final NDArray loss(NDArray decoded, NDArray images) {
    return pixelLogProb(decoded, images).mean().neg();
  }

  @Override
  public final NDArray logLikelihood(NDArray decoded, NDArray images) {
    return pixelLogProb(decoded, images).sum(new int[] {1, 2, 3});
  }
}
