package org.vqlab.core.quantizer;

import org.vqlab.core.nn.ScalarOps;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * The VQ-VAE quantizer (van den Oord et al. 2017): nearest code by squared L2 distance, the
 * straight-through estimator z + sg[q - z], the codebook loss |sg[z] - e|^2 (the codebook's only
 * gradient) and the commitment loss beta |z - sg[e]|^2. Both losses are means over the N x D
 * elements; {@code loss} is their sum.
 *
 * <p>Dead-code restarts are decided on a zero-debiased moving average of per-step counts and done
 * at the start of a training step, before the codebook enters the autograd graph: replacing it
 * after the forward pass would detach the gradient that the optimiser is about to read.
 */
public class VectorQuantizer extends AbstractVectorQuantizer {
  private final double usageDecay;
  private final Parameter usage;

  public VectorQuantizer(StandardQuantizerConfig config) {
    super(config.numCodes(), config.codeDim(), config.commitmentCost(), config.init(),
        config.kmeansIterations(), config.distance(), config.deadCodeThreshold(),
        config.chunkSize(), true, config.options());
    this.usageDecay = config.usageDecay();
    usage = addParameter(buffer("usage", new Shape(config.numCodes()), 0f));
  }

  /** The moving usage per code (vectors per step, zero-debiased), shape (K). */
  public NDArray usage(ParameterStore parameters) {
    NDArray hidden = parameters.getValue(usage, usage.getArray().getDevice(), false);
    long t = steps();
    return t == 0 ? hidden.zerosLike() : hidden.div((float) debias(t));
  }

  @Override
  protected NDList losses(NDArray zs, NDArray q) {
    NDArray codebookLoss;
    NDArray commitment;
    NDArray residual;
    try (NDArray zDetached = zs.stopGradient(); NDArray qDetached = q.stopGradient()) {
      codebookLoss = zDetached.sub(q).square().mean();
      residual = zs.sub(qDetached);
      // A constant factor as a real array: DJL frees the temporary of mul(Number) before backward.
      commitment = ScalarOps.mul(residual.square().mean(), commitmentCost);
    }
    return new NDList(codebookLoss, commitment, codebookLoss.add(commitment), residual);
  }

  @Override
  protected boolean restartsBeforeAssignment() {
    return deadCodeThreshold > 0;
  }

  @Override
  protected void beforeAssignment(ParameterStore parameters, NDArray z, long stepsSoFar) {
    if (deadCodeThreshold <= 0 || stepsSoFar == 0) {
      return;
    }
    Device device = z.getDevice();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray hidden = parameters.getValue(usage, device, true);
      double bias = debias(stepsSoFar);
      NDArray dead = hidden.div((float) bias).lt((float) deadCodeThreshold);
      NDArray e = parameters.getValue(codebook, device, true);
      NDArray candidates = restartCandidates(z, numCodes);
      assignOwned(e, NDArrays.where(dead.expandDims(1).broadcast(candidates.getShape()),
          candidates, e.stopGradient()));
      // A restarted code starts at the threshold: it must win vectors to stay.
      NDArray reset = hidden.zerosLike().add((float) (deadCodeThreshold * bias));
      assignOwned(hidden, NDArrays.where(dead, reset, hidden));
      countRestarts(parameters, dead);
    }
  }

  @Override
  protected void afterAssignment(ParameterStore parameters, NDArray z, NDArray indices,
      NDArray counts, long t) {
    NDArray hidden = parameters.getValue(usage, z.getDevice(), true);
    try (NDArray c = counts.toType(hidden.getDataType(), false)) {
      hidden.muli((float) usageDecay).addi(c.muli((float) (1 - usageDecay)));
    }
  }

  private double debias(long t) {
    return 1 - Math.pow(usageDecay, t);
  }
}
