package org.vqlab.core.quantizer;

/**
 * The metric of the nearest-code search. {@code cosine} l2-normalises inputs and codes first (as in
 * ViT-VQGAN), after which the squared L2 distance is 2 - 2 cos and the search is the same GEMM.
 */
public enum CodeDistance {
  L2,
  COSINE
}
