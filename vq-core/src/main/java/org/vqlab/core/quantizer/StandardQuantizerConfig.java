package org.vqlab.core.quantizer;

/**
 * The {@code quantizer} section for {@code type = standard}: the codebook is trained by the
 * codebook loss |sg[z] - e|^2, the encoder by the commitment loss beta |z - sg[e]|^2.
 *
 * @param numCodes K, the number of codes
 * @param codeDim D, the dimension of each code (the input's channel axis)
 * @param commitmentCost beta, the weight of the commitment loss
 * @param init codebook initialisation
 * @param kmeansIterations Lloyd iterations after k-means++ seeding (init = kmeans only)
 * @param distance l2 or cosine
 * @param deadCodeThreshold restart a code whose moving usage (vectors per step) falls below this;
 *     0 turns restarts off
 * @param usageDecay decay of the moving usage that restarts are decided on (zero-debiased)
 * @param chunkSize rows of the (rows x K) distance matrix computed at once; 0 = all rows at once
 * @param gradient straight_through or rotation (the rotation trick)
 * @param affine reparameterise the codebook from running statistics (see {@link CodebookOptions})
 * @param affineMomentum weight of each batch in the affine running statistics, in (0, 1]
 * @param syncNu nu of the synchronised update; 0 = off
 */
public record StandardQuantizerConfig(int numCodes, int codeDim, double commitmentCost,
    CodebookInit init, int kmeansIterations, CodeDistance distance, double deadCodeThreshold,
    double usageDecay, int chunkSize,
    GradientEstimator gradient, boolean affine, double affineMomentum, double syncNu) {

  public StandardQuantizerConfig {
    QuantizerChecks.positive("num_codes", numCodes);
    QuantizerChecks.positive("code_dim", codeDim);
    QuantizerChecks.nonNegative("commitment_cost", commitmentCost);
    QuantizerChecks.notNull("init", init);
    QuantizerChecks.nonNegative("kmeans_iterations", kmeansIterations);
    QuantizerChecks.notNull("distance", distance);
    QuantizerChecks.nonNegative("dead_code_threshold", deadCodeThreshold);
    QuantizerChecks.openUnit("usage_decay", usageDecay);
    QuantizerChecks.nonNegative("chunk_size", chunkSize);
    new CodebookOptions(gradient, affine, affineMomentum, syncNu);
  }

  /** The plain quantizer: straight-through, no affine map, no synchronised update. */
  public StandardQuantizerConfig(int numCodes, int codeDim, double commitmentCost,
      CodebookInit init, int kmeansIterations, CodeDistance distance, double deadCodeThreshold,
      double usageDecay, int chunkSize) {
    this(numCodes, codeDim, commitmentCost, init, kmeansIterations, distance, deadCodeThreshold,
        usageDecay, chunkSize, GradientEstimator.STRAIGHT_THROUGH, false, 0.1, 0);
  }

  /** The options {@link AbstractVectorQuantizer} shares between codebook quantizers. */
  public CodebookOptions options() {
    return new CodebookOptions(gradient, affine, affineMomentum, syncNu);
  }
}
