package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Quantizers compute in float32 whatever their input's type: nearest-code distances of the form
 * |e|^2 - 2 z.e cancel catastrophically in bfloat16 (8 significant bits), and rounding to a grid
 * or accumulating EMA statistics there loses codes. The cast is part of the autograd graph, so the
 * gradient flows back in the input's type.
 */
public final class QuantizerPrecision {
  private QuantizerPrecision() {}

  /** {@code x} itself if it is float32, else a float32 copy that keeps its gradient path. */
  public static NDArray toFloat32(NDArray x) {
    return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
  }

  /** {@code x} in {@code type}: the quantized output goes back in the input's type. */
  public static NDArray restore(NDArray x, DataType type) {
    return x.getDataType() == type ? x : x.toType(type, false);
  }
}
