package org.vqlab.core.quantizer;

/**
 * How the decoder's gradient reaches the encoder through the non-differentiable code choice
 * ({@code gradient} key of the codebook quantizers).
 */
public enum GradientEstimator {
  /** z + sg[q - z]: the gradient is copied unchanged (Bengio et al. 2013; van den Oord et al.). */
  STRAIGHT_THROUGH,
  /**
   * The rotation trick (Fifty et al. 2024): q = sg[|q| / |z| R] z with R the rotation taking z's
   * direction onto q's (two Householder reflections), so the gradient is rotated and rescaled the
   * same way; R and the scale are constants in the backward pass.
   */
  ROTATION
}
