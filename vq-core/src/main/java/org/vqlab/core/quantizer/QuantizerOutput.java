package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;

/**
 * What a quantizer returns. {@code quantized} has the input's layout and the straight-through
 * gradient z + sg[q - z]; {@code indices} has the input's layout without the D axis (int64).
 * Losses are scalars: {@code loss} is what the model adds to its objective (codebook + commitment
 * for the standard quantizer, commitment only for EMA). {@code perplexity} and {@code codesUsed}
 * describe the batch. A multi-stage quantizer (see {@link Quantizer}) gives indices with a stage
 * axis, and {@code perplexity} and {@code codesUsed} of shape (S'), one per stage on that axis (0
 * for a stage that did not run); its losses are summed over the stages.
 */
public record QuantizerOutput(NDArray quantized, NDArray indices, NDArray codebookLoss,
    NDArray commitmentLoss, NDArray loss, NDArray perplexity, NDArray codesUsed) {}
