package org.vqlab.eval.metrics;

/** {@code eval.bits_per_dim}. */
public record BitsPerDimConfig(int iwaeSamples) {
  public BitsPerDimConfig {
    if (iwaeSamples < 0) {
      throw new IllegalArgumentException("eval.bits_per_dim.iwae_samples must be >= 0 (0 = ELBO"
          + " only), got " + iwaeSamples);
    }
  }
}
