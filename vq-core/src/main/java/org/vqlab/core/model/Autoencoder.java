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
 *
 * <p>Writing one: see the package documentation of {@code org.vqlab.core.model} and
 * {@code org.vqlab.core.plugin} (constants under autograd through
 * {@link org.vqlab.core.nn.ScalarOps}, results of ops on parameters attached to the step's
 * manager, the encoder output scale the quantizer sees); {@code AutoencoderContract} in the
 * plugin test kit checks it.
 */
public interface Autoencoder extends Block {

  /** One training or evaluation pass: reconstruction plus every loss term, already reduced to scalars. */
  AutoencoderOutput compute(ParameterStore parameters, NDArray images, boolean training);

  /** Discrete codes per level, top (coarsest) level first; empty for a continuous-latent model. */
  List<NDArray> encodeCodes(ParameterStore parameters, NDArray images);

  /** Decodes codes (top level first) back to images in the data's normalised range. */
  NDArray decodeCodes(ParameterStore parameters, NDList codes);

  /** The quantizers, top level first; empty for a continuous-latent model. */
  List<Quantizer> quantizers();

  /**
   * log p(x | codes) per image (shape (B)) in nats, under the decoder's likelihood over the 256
   * discrete pixel values, so bits/dim = -(this + log p(codes)) / (C H W ln 2). A continuous-latent
   * model (no quantizers) ignores {@code codes} and returns a one-sample estimate of its ELBO, a
   * lower bound on log p(x).
   */
  NDArray logLikelihood(ParameterStore parameters, NDArray images, NDList codes);
}
