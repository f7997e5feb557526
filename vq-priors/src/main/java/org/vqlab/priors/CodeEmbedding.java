package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A table of {@code count} learned vectors of {@code dim}: int64 indices (...) to (..., dim) by a
 * gather, which on a large K costs far less than a one-hot product.
 */
final class CodeEmbedding extends AbstractBlock {
  private final Parameter weight;
  private final int dim;

  CodeEmbedding(int count, int dim, float std) {
    this.dim = dim;
    weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(count, dim)).optInitializer(new NormalInitializer(std)).build());
  }

  /** indices (...) int64 to vectors (..., dim). */
  NDArray lookup(ParameterStore ps, NDArray indices, boolean training) {
    NDArray w = ps.getValue(weight, indices.getDevice(), training);
    return indices.getNDArrayInternal().embedding(indices, w, SparseFormat.DENSE).singletonOrThrow();
  }

  /** indices (B, h, w) to channels-first maps (B, dim, h, w). */
  NDArray maps(ParameterStore ps, NDArray indices, boolean training) {
    return lookup(ps, indices, training).transpose(0, 3, 1, 2);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(lookup(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(dim)};
  }
}
