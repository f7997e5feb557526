package org.vqlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A range along one axis as a view, with a backward pass over that axis only.
 *
 * <p>DJL 0.35.1's {@code NDArray.get(NDIndex)} on the PyTorch engine slices every axis the index
 * names, full ranges included, so {@code get(":, :, 1:15")} records three slice nodes. Each one's
 * backward allocates a zero array the size of its input and copies the gradient into it: two of
 * those three zero fills and copies are wasted, on arrays that are the largest of the step in a
 * transposed convolution's output or a PixelCNN stack (profiled: {@code bench/peer-pytorch
 * --profile}). {@link #narrow} records one node.
 */
public final class Slicing {
  private Slicing() {}

  /** {@code x} restricted to {@code [start, end)} along {@code axis}, a view sharing its memory. */
  public static NDArray narrow(NDArray x, int axis, long start, long end) {
    int rank = x.getShape().dimension();
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + x.getShape());
    }
    long size = x.getShape().get(a);
    if (start < 0 || end > size || start > end) {
      throw new IllegalArgumentException(
          "range [" + start + ", " + end + ") is out of [0, " + size + "] along axis " + a + " of " + x.getShape());
    }
    if (start == 0 && end == size) {
      return x;
    }
    if (x instanceof PtNDArray) {
      return JniUtils.slice((PtNDArray) x, a, start, end, 1);
    }
    // Any other engine: the general index, with every axis before `a` taken whole.
    return x.get(new NDIndex(":,".repeat(a) + "{}:{}", start, end));
  }
}
