package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Where the D axis sits: flat (N, D), images (B, D, H, W) or video (B, D, T, H, W). Moves D last and
 * flattens to (N, D) for the search, and back; both directions are views plus one copy, and pass
 * gradients through unchanged.
 */
public record CodeLayout(Shape input, int codeDim) {

  public CodeLayout {
    int rank = input.dimension();
    if (rank != 2 && rank != 4 && rank != 5) {
      throw new IllegalArgumentException("quantizer input must be (N, D), (B, D, H, W) or"
          + " (B, D, T, H, W); got " + input);
    }
    if (input.get(1) != codeDim) {
      throw new IllegalArgumentException("quantizer input " + input + " has " + input.get(1)
          + " channels on axis 1 but code_dim is " + codeDim);
    }
  }

  public static CodeLayout of(NDArray z, int codeDim) {
    return new CodeLayout(z.getShape(), codeDim);
  }

  /** The layout whose {@link #indexShape()} is {@code indexShape}: (N), (B, H, W) or (B, T, H, W). */
  public static CodeLayout ofIndices(Shape indexShape, int codeDim) {
    int rank = indexShape.dimension();
    if (rank != 1 && rank != 3 && rank != 4) {
      throw new IllegalArgumentException("code indices must be (N), (B, H, W) or (B, T, H, W); got "
          + indexShape);
    }
    Shape input = rank == 1 ? new Shape(indexShape.get(0), codeDim)
        : new Shape(indexShape.get(0), codeDim).addAll(indexShape.slice(1));
    return new CodeLayout(input, codeDim);
  }

  public int rank() {
    return input.dimension();
  }

  public long rows() {
    return input.size() / codeDim;
  }

  /** (N, D) with N in the order of {@link #indexShape()}. */
  public NDArray flatten(NDArray z) {
    return switch (rank()) {
      case 2 -> z;
      case 4 -> z.transpose(0, 2, 3, 1).reshape(rows(), codeDim);
      default -> z.transpose(0, 2, 3, 4, 1).reshape(rows(), codeDim);
    };
  }

  /** The inverse of {@link #flatten(NDArray)}. */
  public NDArray unflatten(NDArray flat) {
    return switch (rank()) {
      case 2 -> flat;
      case 4 -> flat.reshape(input.get(0), input.get(2), input.get(3), codeDim).transpose(0, 3, 1, 2);
      default -> flat.reshape(input.get(0), input.get(2), input.get(3), input.get(4), codeDim)
          .transpose(0, 4, 1, 2, 3);
    };
  }

  /** The input's shape without the D axis: (N), (B, H, W) or (B, T, H, W). */
  public Shape indexShape() {
    return rank() == 2 ? new Shape(input.get(0)) : input.slice(0, 1).addAll(input.slice(2));
  }
}
