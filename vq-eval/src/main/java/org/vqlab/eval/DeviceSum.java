package org.vqlab.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A running sum kept on the device in float64: one reduction per batch and a single host read at
 * the end, exact enough for sums of millions of per-pixel log-probabilities.
 */
public final class DeviceSum implements AutoCloseable {
  private final NDManager manager;
  private final NDArray total;

  public DeviceSum(NDManager parent) {
    this.manager = parent.newSubManager();
    this.total = manager.zeros(new Shape(), DataType.FLOAT64);
  }

  /** Adds the sum of every element of {@code values} (any shape, on the same device). */
  public void add(NDArray values) {
    try (NDArray wide = values.toType(DataType.FLOAT64, true); NDArray sum = wide.sum()) {
      total.addi(sum);
    }
  }

  public double value() {
    return total.getDouble();
  }

  @Override
  public void close() {
    manager.close();
  }
}
