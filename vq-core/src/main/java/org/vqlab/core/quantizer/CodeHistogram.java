package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
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

  /** Rows of the (rows x K) comparison that {@link #counts} makes at once. */
  private static final int COUNT_CHUNK = 8192;

  /**
   * How many of {@code indices} (any shape, int64 in [0, K)) chose each code: int64 (K), as the
   * column sums of indices == 0..K-1, a boolean (rows x K) pass in chunks of 8192 rows. Unlike
   * unique, whose output size depends on the data, its shapes are fixed: nothing waits for a GPU.
   */
  public static NDArray counts(NDArray indices, int numCodes) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray flat = indices.flatten().toType(DataType.INT64, false);
      NDArray codes = indices.getManager().arange(0, numCodes, 1, DataType.INT64, indices.getDevice())
          .expandDims(0);
      long n = flat.getShape().get(0);
      NDArray total = null;
      for (long start = 0; start < n; start += COUNT_CHUNK) {
        NDArray rows = n <= COUNT_CHUNK ? flat
            : flat.get(new NDIndex("{}:{}", start, Math.min(n, start + COUNT_CHUNK)));
        NDArray part = rows.expandDims(1).eq(codes).sum(new int[] {0});
        total = total == null ? part : total.add(part);
      }
      if (total == null) {
        total = indices.getManager().zeros(new Shape(numCodes), DataType.INT64, indices.getDevice());
      }
      NDArray result = total.toType(DataType.INT64, false);
      NDScope.unregister(result);
      return result;
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
