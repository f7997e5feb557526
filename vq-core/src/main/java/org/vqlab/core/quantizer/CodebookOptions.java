package org.vqlab.core.quantizer;

/**
 * Options every codebook quantizer (standard, EMA, and any subclass of
 * {@link AbstractVectorQuantizer}) shares beyond its update rule.
 *
 * @param gradient straight-through or the rotation trick
 * @param affine reparameterise the codebook as mu_z + sigma_z / sigma_c * (c - mu_c) per dimension
 *     from running statistics of the encoder outputs z and the raw codes c (Huh et al. 2023)
 * @param affineMomentum weight of the current batch in those running statistics, in (0, 1]
 * @param syncNu nu of the synchronised update (Huh et al. 2023): the output gains
 *     nu q - sg[nu q], so the codebook also receives nu times the decoder's gradient; 0 = off
 */
public record CodebookOptions(GradientEstimator gradient, boolean affine, double affineMomentum,
    double syncNu) {

  /** Straight-through, no affine map, no synchronised update: the plain VQ-VAE. */
  public static final CodebookOptions PLAIN =
      new CodebookOptions(GradientEstimator.STRAIGHT_THROUGH, false, 0.1, 0);

  public CodebookOptions {
    QuantizerChecks.notNull("gradient", gradient);
    if (!(affineMomentum > 0 && affineMomentum <= 1)) {
      throw new IllegalArgumentException("affine_momentum must be in (0, 1], got "
          + affineMomentum);
    }
    QuantizerChecks.nonNegative("sync_nu", syncNu);
  }
}
