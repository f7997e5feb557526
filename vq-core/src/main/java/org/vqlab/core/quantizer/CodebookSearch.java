package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The device-side numerics every quantizer shares: squared L2 distances by a matrix product
 * (|z|^2 - 2 z.e + |e|^2, never an N x K x D tensor), the nearest code in row chunks, per-code
 * counts and sums without an N x K one-hot, and the batch perplexity. Nothing here reads back to
 * the host, and every array is created on its inputs' device.
 */
public final class CodebookSearch {
  private CodebookSearch() {}

  /** Squared L2 distances (N, K) between the rows of {@code z} (N, D) and {@code codebook} (K, D). */
  public static NDArray distances(NDArray z, NDArray codebook) {
    try (NDArray augmented = augmentedCodebook(codebook);
        NDArray z1 = withOnes(z);
        NDArray partial = z1.matMul(augmented);
        NDArray zz = z.square().sum(new int[] {1}, true)) {
      NDArray d = partial.add(zz);
      return d;
    }
  }

  /**
   * Index (int64, N) of the nearest code for each row of {@code z}. Adding |z|^2 does not change the
   * argmin, so each row block is one GEMM of [z, 1] with [-2e, |e|^2]^T followed by argmin: no
   * N x K elementwise pass. {@code chunkSize} rows at a time (0 = all) bound the memory to
   * chunkSize x K; every row's dot products are the same GEMM, so chunking gives the same indices.
   */
  public static NDArray nearest(NDArray z, NDArray codebook, int chunkSize) {
    long n = z.getShape().get(0);
    try (NDArray augmented = augmentedCodebook(codebook); NDArray z1 = withOnes(z)) {
      if (chunkSize <= 0 || n <= chunkSize) {
        try (NDArray d = z1.matMul(augmented)) {
          return d.argMin(1);
        }
      }
      NDList parts = new NDList();
      for (long start = 0; start < n; start += chunkSize) {
        long end = Math.min(n, start + chunkSize);
        try (NDArray rows = z1.get(new NDIndex("{}:{}", start, end));
            NDArray d = rows.matMul(augmented)) {
          parts.add(d.argMin(1));
        }
      }
      NDArray indices = NDArrays.concat(parts);
      parts.close();
      return indices;
    }
  }

  /** Rows of the (rows x K) comparison that {@link #counts} makes at once. */
  private static final int COUNT_CHUNK = 8192;

  /**
   * How many rows chose each code: int64 (K), as the column sums of indices == 0..K-1, a boolean
   * (rows x K) pass in chunks of 8192 rows (the size of a chunk of distances). Unlike unique, whose
   * output size depends on the data, its shapes are fixed: nothing waits for a GPU.
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
        NDArray rows = n <= COUNT_CHUNK ? flat : flat.get(new NDIndex("{}:{}", start, Math.min(n, start + COUNT_CHUNK)));
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

  /**
   * Sum of the rows of {@code z} (N, D) assigned to each code: (K, D) float32. Rows are sorted by
   * code and cumulatively summed (in float64, so that differences of large prefix sums stay
   * exact), and each code's sum is the difference of two prefix sums: O(N log N + N D) instead of
   * the O(N K D) of a one-hot matrix product.
   */
  public static NDArray sums(NDArray z, NDArray indices, NDArray counts) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray order = indices.argSort();
      NDArray prefix = z.get(new NDIndex("{}", order)).toType(DataType.FLOAT64, false).cumSum(0);
      // sum of code k = prefix[end_k - 1] - prefix[start_k - 1], where prefix[-1] = 0; the
      // masks stand in for that zero row so the N x D prefix is never copied.
      NDArray ends = counts.cumSum(0);
      NDArray starts = ends.sub(counts);
      NDArray hi = prefixAt(prefix, ends);
      NDArray lo = prefixAt(prefix, starts);
      NDArray result = hi.sub(lo).toType(z.getDataType(), false);
      NDScope.unregister(result);
      return result;
    }
  }

  /** prefix[i - 1] for each i, and 0 where i = 0. */
  private static NDArray prefixAt(NDArray prefix, NDArray positions) {
    NDArray rows = prefix.get(new NDIndex("{}", positions.sub(1).maximum(0)));
    NDArray nonEmpty = positions.gt(0).expandDims(1).toType(prefix.getDataType(), false);
    return rows.mul(nonEmpty);
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

  /** Rows scaled to unit L2 norm (for the cosine distance). */
  static NDArray normalizeRows(NDArray x) {
    return x.normalize(2, 1, 1e-12);
  }

  /** [-2e, |e|^2]^T: (D + 1, K). */
  private static NDArray augmentedCodebook(NDArray codebook) {
    try (NDArray minus2e = codebook.mul(-2f);
        NDArray squares = codebook.square();
        NDArray ee = squares.sum(new int[] {1}, true);
        NDArray aug = minus2e.concat(ee, 1)) {
      return aug.transpose();
    }
  }

  /** [z, 1]: (N, D + 1). */
  private static NDArray withOnes(NDArray z) {
    try (NDArray ones = z.getManager().ones(new Shape(z.getShape().get(0), 1), z.getDataType(),
        z.getDevice())) {
      return z.concat(ones, 1);
    }
  }
}
