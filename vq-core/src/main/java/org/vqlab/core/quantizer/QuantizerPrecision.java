package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Quantizers compute in float32 whatever their input's type: nearest-code distances of the form
 * |e|^2 - 2 z.e cancel catastrophically in half precision (float16 has 11 significant bits,
 * bfloat16 8), and rounding to a grid or accumulating EMA statistics there loses codes.
 *
 * <p>DJL 0.35.1's {@code toType} leaves the autograd graph, so the casts are built from ops that
 * stay in it: in, a product with a float32 one (type promotion); out, the straight-through form
 * x + sg[cast(q) - x] in the input's type, whose gradient is the identity. A half-precision input
 * therefore gets the straight-through gradient even when the quantizer's own estimator (the
 * rotation trick, FSQ's bound) would shape it; a float32 input, the case of every VQLab model,
 * is untouched. (bfloat16 cannot be tested here: casting to it aborts DJL's CPU engine.)
 */
public final class QuantizerPrecision {
  private QuantizerPrecision() {}

  /** {@code x} itself if it is float32, else its float32 value in the autograd graph. */
  public static NDArray toFloat32(NDArray x) {
    if (x.getDataType() == DataType.FLOAT32) {
      return x;
    }
    if (x.getDataType() == DataType.FLOAT16 || x.getDataType() == DataType.BFLOAT16) {
      // half x float32 (not 0-dim) promotes to float32; the one lives until the scope closes.
      NDArray one = x.getManager().ones(new Shape(1), DataType.FLOAT32, x.getDevice());
      return x.mul(one);
    }
    return x.toType(DataType.FLOAT32, false);
  }

  /**
   * The quantized rows {@code q} (float32) in the type of {@code input} (same shape):
   * input + sg[cast(q) - input], so the input receives the output's gradient unchanged.
   */
  public static NDArray restore(NDArray q, NDArray input) {
    DataType type = input.getDataType();
    if (q.getDataType() == type) {
      return q;
    }
    try (NDArray cast = q.stopGradient().toType(type, false);
        NDArray gap = cast.sub(input.stopGradient())) {
      return input.add(gap);
    }
  }
}
