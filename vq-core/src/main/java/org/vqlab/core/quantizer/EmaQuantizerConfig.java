package org.vqlab.core.quantizer;

/**
 * The {@code quantizer} section for {@code type = ema}: the codebook follows exponential moving
 * averages of the assigned vectors (Laplace-smoothed counts); only the commitment loss is returned.
 *
 * @param numCodes K, the number of codes
 * @param codeDim D, the dimension of each code
 * @param commitmentCost beta, the weight of the commitment loss
 * @param decay gamma of the moving averages, in (0, 1)
 * @param epsilon Laplace smoothing of the counts, > 0
 * @param zeroDebias divide the moving averages by 1 - gamma^t (Sonnet); they then start from zero
 * @param init codebook initialisation
 * @param kmeansIterations Lloyd iterations after k-means++ seeding (init = kmeans only)
 * @param distance l2 or cosine
 * @param deadCodeThreshold restart a code whose moving count (vectors per step) falls below this;
 *     0 turns restarts off
 * @param chunkSize rows of the (rows x K) distance matrix computed at once; 0 = all rows at once
 * @param gradient straight_through or rotation (the rotation trick)
 * @param affine reparameterise the codebook from running statistics (see {@link CodebookOptions})
 * @param affineMomentum weight of each batch in the affine running statistics, in (0, 1]
 */
public record EmaQuantizerConfig(int numCodes, int codeDim, double commitmentCost, double decay,
    double epsilon, boolean zeroDebias, CodebookInit init, int kmeansIterations,
    CodeDistance distance, double deadCodeThreshold, int chunkSize,
    GradientEstimator gradient, boolean affine, double affineMomentum) {

  public EmaQuantizerConfig {
    QuantizerChecks.positive("num_codes", numCodes);
    QuantizerChecks.positive("code_dim", codeDim);
    QuantizerChecks.nonNegative("commitment_cost", commitmentCost);
    QuantizerChecks.openUnit("decay", decay);
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
    }
    QuantizerChecks.notNull("init", init);
    QuantizerChecks.nonNegative("kmeans_iterations", kmeansIterations);
    QuantizerChecks.notNull("distance", distance);
    QuantizerChecks.nonNegative("dead_code_threshold", deadCodeThreshold);
    QuantizerChecks.nonNegative("chunk_size", chunkSize);
    new CodebookOptions(gradient, affine, affineMomentum, 0);
  }

  /** The plain quantizer: straight-through, no affine map. */
  public EmaQuantizerConfig(int numCodes, int codeDim, double commitmentCost, double decay,
      double epsilon, boolean zeroDebias, CodebookInit init, int kmeansIterations,
      CodeDistance distance, double deadCodeThreshold, int chunkSize) {
    this(numCodes, codeDim, commitmentCost, decay, epsilon, zeroDebias, init, kmeansIterations,
        distance, deadCodeThreshold, chunkSize, GradientEstimator.STRAIGHT_THROUGH, false, 0.1);
  }

  /**
   * The options {@link AbstractVectorQuantizer} shares between codebook quantizers. The EMA
   * codebook takes no gradient, so it has no synchronised update.
   */
  public CodebookOptions options() {
    return new CodebookOptions(gradient, affine, affineMomentum, 0);
  }
}
