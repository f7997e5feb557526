package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The histogram of a batch's codes and what {@link QuantizerOutput} reports from it: per-code
 * counts, the perplexity exp(H) of the code distribution and the number of codes used. Every
 * quantizer (codebook, scalar grid, sign pattern, stages) fills {@code perplexity} and
 * {@code codesUsed} from here, so the numbers mean the same for all of them; all on the indices'
 * device, nothing read back to the host.
 */
public final class CodeHistogram {
  private CodeHistogram() {}

  /**
   * How many of {@code indices} (any shape, int64 in [0, K)) chose each code: int64 (K), via
   * unique + scatter rather than a one-hot sum.
   */
  public static NDArray counts(NDArray indices, int numCodes) {
    NDList unique = indices.flatten().unique(null, true, false, true);
    try (unique; NDArray zeros = indices.getManager().zeros(new Shape(numCodes), DataType.INT64,
        indices.getDevice())) {
      return zeros.scatter(unique.get(0), unique.get(2), 0);
    }
  }

  /** exp(-sum p log p) of the code distribution given by {@code counts} (K); a float32 scalar. */
  public static NDArray perplexity(NDArray counts) {
    try (NDArray c = counts.toType(DataType.FLOAT32, false);
        NDArray total = c.sum();
        NDArray p = c.div(total);
        NDArray logp = p.add(1e-10f).log();
        NDArray plogp = p.mul(logp);
        NDArray entropy = plogp.sum().neg()) {
      return entropy.exp();
    }
  }

  /** Number of codes with a non-zero count; an int64 scalar. */
  public static NDArray codesUsed(NDArray counts) {
    try (NDArray used = counts.gt(0)) {
      return used.toType(DataType.INT64, false).sum();
    }
  }
}
