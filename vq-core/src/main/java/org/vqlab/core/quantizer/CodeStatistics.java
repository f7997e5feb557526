package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;

/**
 * One training step's sufficient statistics for the EMA codebook update: {@code counts} (K,
 * int64) vectors assigned to each code, {@code sums} (K, D) their sum, and {@code candidates}
 * (K, D) encoder outputs that dead codes would restart from (null when restarts are off).
 *
 * <p>Data parallelism: counts and sums are additive, so a multi-device trainer all-reduces them
 * (sum) between {@link EmaVectorQuantizer#collectStatistics} and
 * {@link EmaVectorQuantizer#applyStatistics}, and broadcasts one replica's candidates; every
 * replica then applies the same update and holds the same codebook.
 */
public record CodeStatistics(NDArray counts, NDArray sums, NDArray candidates)
    implements AutoCloseable {

  @Override
  public void close() {
    counts.close();
    sums.close();
    if (candidates != null) {
      candidates.close();
    }
  }
}
