package org.vqlab.core.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * The result of {@link Autoencoder#compute}: the reconstruction (data range), the loss to minimise,
 * and named scalar terms (reconstruction, commitment, perplexity per level, ...) for tracking.
 */
public record AutoencoderOutput(NDArray reconstruction, NDArray loss, Map<String, NDArray> terms) {}
