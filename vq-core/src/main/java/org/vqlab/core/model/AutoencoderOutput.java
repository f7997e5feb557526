package org.vqlab.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Autoencoder#compute}: the reconstruction (data range), the loss to minimise,
 * named scalar terms (reconstruction, commitment, perplexity per level, ...) for tracking, and the
 * code indices of every level, top first (empty for a continuous latent), so that evaluation can
 * count codebook usage without encoding twice.
 */
public record AutoencoderOutput(NDArray reconstruction, NDArray loss, Map<String, NDArray> terms,
    List<NDArray> codes) {}
