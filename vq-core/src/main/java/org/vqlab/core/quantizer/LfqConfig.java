package org.vqlab.core.quantizer;

/**
 * The {@code quantizer} section for {@code type = lfq}: lookup-free quantisation (Yu et al. 2023,
 * MAGVIT-v2). Each of the d channels is quantised to its sign; K = 2^d.
 *
 * @param codeDim d, the number of channels (bits per position), 1..16 with the entropy penalty
 *     (its batch term needs the N x 2^d soft assignment), 1..24 without
 * @param commitmentCost beta of the commitment loss |z - sg[q]|^2
 * @param entropyWeight weight of the entropy penalty (per-sample entropy minus diversity_weight x
 *     batch entropy); 0 turns it off
 * @param diversityWeight gamma, weight of the batch (codebook) entropy inside the penalty
 * @param temperature tau of the soft assignment softmax_k(2 z . c_k / tau) over the 2^d codes
 * @param chunkSize rows of the (rows x 2^d) soft assignment computed at once; 0 = all
 */
public record LfqConfig(int codeDim, double commitmentCost, double entropyWeight,
    double diversityWeight, double temperature, int chunkSize) {

  public LfqConfig {
    QuantizerChecks.positive("code_dim", codeDim);
    int max = entropyWeight > 0 ? 16 : 24;
    if (codeDim > max) {
      throw new IllegalArgumentException("code_dim must be <= " + max + (entropyWeight > 0
          ? " with the entropy penalty (entropy_weight > 0): its batch entropy averages a"
          + " rows x 2^code_dim soft assignment" : " (K = 2^code_dim codes)") + ", got " + codeDim);
    }
    QuantizerChecks.nonNegative("commitment_cost", commitmentCost);
    QuantizerChecks.nonNegative("entropy_weight", entropyWeight);
    QuantizerChecks.nonNegative("diversity_weight", diversityWeight);
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    QuantizerChecks.nonNegative("chunk_size", chunkSize);
  }
}
