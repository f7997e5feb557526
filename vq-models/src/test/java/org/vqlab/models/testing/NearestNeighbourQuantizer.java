package org.vqlab.models.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerOutput;
import org.vqlab.core.nn.ScalarOps;

/**
 * Test support: a plain nearest-neighbour vector quantizer (trainable codebook, straight-through
 * gradient, codebook loss + 0.25 commitment loss) for (B, D, H, W) inputs. It also keeps a usage
 * count that is not trained by gradient, standing in for EMA state in the optimiser tests.
 */
public final class NearestNeighbourQuantizer extends AbstractBlock implements Quantizer {
  static final float BETA = 0.25f;
  private final int numCodes;
  private final int codeDim;
  private final Parameter codebook;
  private final Parameter usage;

  public NearestNeighbourQuantizer(int numCodes, int codeDim) {
    this.numCodes = numCodes;
    this.codeDim = codeDim;
    codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(numCodes, codeDim))
        .optInitializer(new UniformInitializer(1f / numCodes)).build());
    usage = addParameter(Parameter.builder().setName("usage").setType(Parameter.Type.OTHER)
        .optShape(new Shape(numCodes)).optRequiresGrad(false)
        .optInitializer(new ConstantInitializer(0f)).build());
  }

  @Override
  public int numCodes() {
    return numCodes;
  }

  @Override
  public int codeDim() {
    return codeDim;
  }

  @Override
  public QuantizerOutput quantize(ParameterStore ps, NDArray z, boolean training) {
    // Adding the codebook to zeros of the step's scope keeps every derived array in that scope.
    NDArray e = z.getManager().zeros(codebook.getShape())
        .add(ps.getValue(codebook, z.getDevice(), training));
    Shape s = z.getShape();
    NDArray flat = z.transpose(0, 2, 3, 1).reshape(-1, codeDim);
    NDArray distances = flat.square().sum(new int[] {1}, true)
        .sub(ScalarOps.mul(flat.matMul(e.transpose()), 2)).add(e.square().sum(new int[] {1}).expandDims(0));
    NDArray indices = distances.argMin(1);
    NDArray oneHot = indices.oneHot(numCodes);
    NDArray q = oneHot.matMul(e).reshape(s.get(0), s.get(2), s.get(3), codeDim).transpose(0, 3, 1, 2);
    NDArray codebookLoss = z.stopGradient().sub(q).square().mean();
    NDArray commitment = ScalarOps.mul(z.sub(q.stopGradient()).square().mean(), BETA);
    NDArray counts = oneHot.sum(new int[] {0});
    NDArray p = ScalarOps.div(counts, flat.getShape().get(0));
    NDArray perplexity = p.mul(p.add(1e-10).log()).sum().neg().exp();
    if (training) {
      ps.getValue(usage, z.getDevice(), false).addi(counts);
    }
    return new QuantizerOutput(z.add(q.sub(z).stopGradient()),
        indices.reshape(s.get(0), s.get(2), s.get(3)), codebookLoss, commitment,
        codebookLoss.add(commitment), perplexity, counts.gt(0).sum().toType(DataType.FLOAT32, false));
  }

  @Override
  public NDArray codebook(ParameterStore ps) {
    return ps.getValue(codebook, codebook.getArray().getDevice(), false);
  }

  @Override
  public NDArray decode(ParameterStore ps, NDArray indices) {
    Shape s = indices.getShape();
    NDArray vectors = codebook(ps).get(indices.flatten());
    vectors.attach(indices.getManager());
    return vectors.reshape(s.get(0), s.get(1), s.get(2), codeDim).transpose(0, 3, 1, 2);
  }

  /** Times each code was chosen in training. */
  public NDArray usage() {
    return usage.getArray();
  }

  @Override
  public long restarts() {
    return 0;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(quantize(ps, inputs.singletonOrThrow(), training).quantized());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}
