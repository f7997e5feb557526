package org.vqlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Rows of a table by index, as a codebook lookup: {@code table[indices]} with the gradient to the
 * table summed per row.
 *
 * <p>On the PyTorch engine this is libtorch's embedding lookup, whose backward pass adds each
 * gradient row into its table row. The general index ({@code table.get(NDIndex)}) computes the
 * same values, but its backward pass is an accumulating index_put, which libtorch runs serially
 * element by element on a CPU: measured for a 512 x 64 codebook and 6272 rows, 2.06 ms for the
 * lookup with its backward against 0.87 ms here. The two gradients agree to float rounding (the
 * rows are added in a different order; each way is deterministic).
 */
public final class Gather {
  private Gather() {}

  /** {@code table[indices]}: shape {@code indices.shape + table.shape[1:]}. */
  public static NDArray rows(NDArray table, NDArray indices) {
    NDArray index = indices.getDataType() == DataType.INT64 ? indices : indices.toType(DataType.INT64, false);
    if (table instanceof PtNDArray && index instanceof PtNDArray) {
      return JniUtils.embedding((PtNDArray) index, (PtNDArray) table, false);
    }
    return table.get(new NDIndex("{}", index));
  }
}
