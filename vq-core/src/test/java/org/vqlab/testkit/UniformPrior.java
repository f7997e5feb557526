package org.vqlab.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;

/** A prior with equal logits for every code: log p(z) = -(h w) ln K exactly. */
public final class UniformPrior extends AbstractBlock implements CodePrior {
  private final int numCodes;
  /** Items whose labels the prior was given, to check that evaluation conditions on them. */
  public long labelledItems;

  public UniformPrior(int numCodes) {
    this.numCodes = numCodes;
  }

  @Override
  public int numCodes() {
    return numCodes;
  }

  @Override
  public NDArray logits(ParameterStore ps, NDArray codes, PriorCondition condition,
      boolean training) {
    if (condition.labels() != null) {
      labelledItems += condition.labels().size();
    }
    Shape s = codes.getShape();
    return codes.getManager().zeros(new Shape(s.get(0), numCodes, s.get(1), s.get(2)));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(logits(ps, inputs.singletonOrThrow(), PriorCondition.NONE, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), numCodes, s.get(1), s.get(2))};
  }
}
