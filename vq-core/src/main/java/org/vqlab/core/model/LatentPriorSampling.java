package org.vqlab.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * A model whose latent has a fixed prior of its own (the Gaussian VAE's N(0, I)), so that it is
 * sampled without a trained code prior: latents drawn from that prior and decoded. The sample
 * stage asks for it through this interface only.
 */
public interface LatentPriorSampling {

  /**
   * {@code n} images from latents drawn from the model's prior, decoded to the data's normalised
   * range, shaped (n, C, H, W) on {@code manager}'s device. {@code temperature} scales the prior's
   * standard deviation (1 = the prior itself). Draws from the engine's random generator.
   */
  NDArray sampleFromPrior(ParameterStore parameters, NDManager manager, int n, double temperature);
}
