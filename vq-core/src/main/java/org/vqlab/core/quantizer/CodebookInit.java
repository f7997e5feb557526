package org.vqlab.core.quantizer;

/**
 * How the codebook starts: {@code uniform} on (-1/K, 1/K) as in the VQ-VAE paper, {@code normal}
 * N(0, 1) as in Sonnet's EMA quantizer, or {@code kmeans}: k-means++ seeding on the first training
 * batch followed by Lloyd iterations, so that every code starts where the data is (until that
 * batch the codebook holds the uniform placeholder; a loaded checkpoint never re-runs k-means).
 */
public enum CodebookInit {
  UNIFORM,
  NORMAL,
  KMEANS
}
