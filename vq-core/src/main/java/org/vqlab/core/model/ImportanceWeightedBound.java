package org.vqlab.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A continuous-latent model that tightens its ELBO by importance sampling (Burda et al., 2016):
 * log p(x) >= E[log (1/k) sum_i p(x, z_i) / q(z_i | x)], z_i ~ q(z | x); k = 1 is the ELBO and the
 * bound tightens as k grows. Evaluation asks for it through this interface only.
 */
public interface ImportanceWeightedBound {

  /**
   * A k-sample estimate of the importance-weighted bound per image (B), in nats, over the 256
   * discrete pixel values; draws from the engine's random generator.
   */
  NDArray importanceWeightedLogLikelihood(ParameterStore parameters, NDArray images, int samples);
}
