package org.vqlab.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.vqlab.core.quantizer.Quantizer;

/**
 * An autoencoder with a discrete (or, for the VAE baseline, continuous) latent. Evaluation and the
 * prior stages see models only through this interface, so a new model plugin needs no change there.
 */
public interface Autoencoder extends Block {

  /** One training or evaluation pass: reconstruction plus every loss term, already reduced to scalars. */
  AutoencoderOutput compute(ParameterStore parameters, NDArray images, boolean training);

  /**
   * Discrete codes per code grid, top (coarsest) level first; empty for a continuous-latent model.
   * A level whose quantizer has S > 1 stages ({@link Quantizer#stages()}) gives S grids, stage 1
   * first, each modelled by its own prior like a level; {@link #codeLevelNames()} names them.
   */
  List<NDArray> encodeCodes(ParameterStore parameters, NDArray images);

  /** Decodes codes (one grid per entry of {@link #codeLevelNames()}) back to images in the data's normalised range. */
  NDArray decodeCodes(ParameterStore parameters, NDList codes);

  /**
   * The quantizer of each code grid, top level first ({@link Quantizer#stage} of a multi-stage
   * quantizer, one per stage); empty for a continuous-latent model.
   */
  List<Quantizer> quantizers();

  /**
   * Names of the code grids, in the order of {@link #encodeCodes} ("top", "bottom", or
   * "bottom_stage1", "bottom_stage2" for a residual quantizer): metric keys, prior checkpoint
   * directories and code store levels use them.
   */
  default List<String> codeLevelNames() {
    return quantizers().isEmpty() ? List.of() : CodeLevels.names(quantizers().size());
  }

  /**
   * The stage of each code grid, in the order of {@link #encodeCodes}: 0 for a level of single
   * codes and for stage 1 of a residual level, s for its stage s + 1 (see
   * {@code PriorCondition#ofGrid}: a stage's prior is conditioned on the stages before it).
   */
  default List<Integer> codeStages() {
    return java.util.Collections.nCopies(quantizers().size(), 0);
  }

  /**
   * log p(x | codes) per image (shape (B)) in nats, under the decoder's likelihood over the 256
   * discrete pixel values, so bits/dim = -(this + log p(codes)) / (C H W ln 2). A continuous-latent
   * model (no quantizers) ignores {@code codes} and returns a one-sample estimate of its ELBO, a
   * lower bound on log p(x).
   */
  NDArray logLikelihood(ParameterStore parameters, NDArray images, NDList codes);
}
