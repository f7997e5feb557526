package org.vqlab.models.likelihood;

import ai.djl.ndarray.NDArray;

/**
 * How a decoder's output defines p(x | z). The decoder emits {@link #channelsPerImageChannel()}
 * times the image channels, grouped by parameter: (B, k C, H, W), first the C means, then (if any)
 * the C log-scales.
 */
public interface DecoderLikelihood {

  /** Decoder output channels per image channel (1 for a mean, 2 for mean and log-scale). */
  int channelsPerImageChannel();

  /** The scalar reconstruction loss the model minimises (per dimension, averaged over the batch). */
  NDArray loss(NDArray decoded, NDArray images);

  /** log p(x | z) per image (B) in nats, over the 256 discrete pixel values. */
  NDArray logLikelihood(NDArray decoded, NDArray images);

  /** The point reconstruction (B, C, H, W) in the data's normalised range. */
  NDArray reconstruction(NDArray decoded);
}
