package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A vector quantizer: maps each D-dimensional vector of its input to the nearest of K codes.
 *
 * <p>Layouts: (B, D, H, W) images, (B, D, T, H, W) video, and flat (N, D). The codebook and any
 * moving-average state are parameters of this block, so they are saved and loaded with the model;
 * state that is not trained by gradient is marked so and is never handed to the optimiser.
 *
 * <p>Stages: a multi-stage quantizer (residual VQ) gives each position S codes, one per stage.
 * Its {@link QuantizerOutput#indices()} then have a stage axis at 1 in place of D: (N, S),
 * (B, S, H, W) or (B, S, T, H, W), stage 0 first; an index of -1 marks a stage that did not run
 * (quantizer dropout in training). Without a stage axis the indices have the input's rank minus
 * one, so the two are told apart by rank. {@link #stages()} is the number of stages evaluation
 * uses (each is one grid of codes for encoding, priors and metrics); single-stage quantizers
 * keep the default 1 and never have a stage axis.
 */
public interface Quantizer extends Block {

  int numCodes();

  int codeDim();

  /**
   * Quantizes {@code z}. In training mode the quantizer may update its state (EMA statistics,
   * dead-code restarts); the returned quantized tensor carries the straight-through gradient.
   */
  QuantizerOutput quantize(ParameterStore parameters, NDArray z, boolean training);

  /** The current codebook (K, D). */
  NDArray codebook(ParameterStore parameters);

  /**
   * Maps code indices back to the vectors the decoder sees: {@code indices} in the layout of
   * {@link QuantizerOutput#indices()} ((N), (B, H, W) or (B, T, H, W), int64) give vectors in the
   * input's layout ((N, D), (B, D, H, W) or (B, D, T, H, W)), equal to the {@code quantized} output
   * of {@link #quantize} for the same indices (without its straight-through path). Sampling and
   * decoding from stored codes go through this, so a quantizer whose vectors are not rows of a
   * codebook (scalar grids, sign patterns, sums over stages) decodes correctly. The result belongs
   * to the manager of {@code indices}.
   */
  NDArray decode(ParameterStore parameters, NDArray indices);

  /** Restarts of dead codes since creation (0 when restarts are off). */
  long restarts();

  /**
   * Codes per position in evaluation: 1 for a single-stage quantizer; S (or the chosen number of
   * evaluation stages) for a residual one, whose indices then have a stage axis (see above).
   */
  default int stages() {
    return 1;
  }

  /**
   * The quantizer of stage {@code s} (0 first, below {@link #stages()}): its K, codebook and
   * restarts describe that stage's codes. A single-stage quantizer is its own stage 0.
   */
  default Quantizer stage(int s) {
    if (s != 0) {
      throw new IndexOutOfBoundsException("stage " + s + " of a single-stage quantizer");
    }
    return this;
  }
}
