package org.vqlab.models.likelihood;

/** The values of {@code model.likelihood}. */
public enum LikelihoodKind {
  /** Squared error divided by {@code model.data_variance} (Sonnet's VQ-VAE loss). */
  MSE,
  /** Gaussian with a fixed scale ({@code model.gaussian_scale}) or a per-pixel learned one. */
  GAUSSIAN,
  /** Discretised logistic over the 256 pixel values (PixelCNN++), per-pixel mean and scale. */
  DISCRETIZED_LOGISTIC
}
