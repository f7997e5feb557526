package org.example.gumbel;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import org.vqlab.core.nn.ScalarOps;
import org.vqlab.core.quantizer.CodeLayout;
import org.vqlab.core.quantizer.CodebookSearch;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerOutput;

/**
 * Gumbel-softmax vector quantization (Jang et al. 2017, "Categorical Reparameterization with
 * Gumbel-Softmax"; the quantizer of DALL-E's dVAE and of taming-transformers' GumbelQuantize).
 *
 * <p>Each encoder vector z (D) is mapped to logits l = W z + b over the K codes. In training a code
 * is sampled: y = softmax((l + g) / tau) with Gumbel noise g = -log(-log u), u ~ U(0, 1); with
 * {@code hard} the forward pass uses the one-hot of argmax y and the backward pass the gradient of
 * y (straight through), so the decoder sees exactly one codebook row e_k while W, b, the codebook and
 * the encoder all get gradients. In evaluation the code is argmax l and the output is its row, so
 * {@link #decode} of the indices is the output. The temperature anneals with the training step
 * (saved with the parameters). The loss is kl_weight * KL(softmax(l) || uniform) in nats per vector,
 * which keeps the code distribution from collapsing; there is no commitment term.
 */
public final class GumbelQuantizer extends AbstractBlock implements Quantizer {
  private final GumbelQuantizerConfig config;
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter codebook;
  private final Parameter step;
  /** Host copy of {@link #step}, read once after initialisation or loading. */
  private long hostStep = -1;

  public GumbelQuantizer(GumbelQuantizerConfig config) {
    this.config = config;
    int k = config.numCodes();
    int d = config.codeDim();
    weight = addParameter(Parameter.builder().setName("logits_weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(k, d)).optInitializer(new NormalInitializer((float) (1 / Math.sqrt(d))))
        .build());
    bias = addParameter(Parameter.builder().setName("logits_bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(k)).optInitializer(new ConstantInitializer(0f)).build());
    codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(k, d)).optInitializer(new NormalInitializer(1f)).build());
    // Saved but not trained: the step count that the temperature anneals with.
    step = addParameter(Parameter.builder().setName("step").setType(Parameter.Type.RUNNING_MEAN)
        .optShape(new Shape(1)).optInitializer(new ConstantInitializer(0f)).optRequiresGrad(false)
        .build());
  }

  @Override
  public int numCodes() {
    return config.numCodes();
  }

  @Override
  public int codeDim() {
    return config.codeDim();
  }

  /** The temperature the next training step uses. */
  public double temperature() {
    return config.temperatureAt(steps());
  }

  private long steps() {
    if (hostStep < 0) {
      hostStep = (long) step.getArray().getFloat(0);
    }
    return hostStep;
  }

  @Override
  public QuantizerOutput quantize(ParameterStore parameters, NDArray z, boolean training) {
    CodeLayout layout = CodeLayout.of(z, config.codeDim());
    NDManager scope = z.getManager();
    Device device = z.getDevice();
    int k = config.numCodes();
    NDArray flat = layout.flatten(z);
    // Results of ops on parameters belong to the parameters' manager: attach them to the step's.
    NDArray weightT = parameters.getValue(weight, device, training).transpose();
    weightT.attach(scope);
    NDArray logits = flat.matMul(weightT).add(parameters.getValue(bias, device, training));
    NDArray e = parameters.getValue(codebook, device, training);

    NDArray indices;
    NDArray quantizedFlat;
    if (training) {
      NDArray u = scope.randomUniform(1e-6f, 1f - 1e-6f, logits.getShape(), DataType.FLOAT32, device);
      NDArray gumbel = u.log().neg().log().neg();
      NDArray y = ScalarOps.div(logits.add(gumbel), config.temperatureAt(steps())).softmax(1);
      indices = y.argMax(1);
      NDArray weights = y;
      if (config.hard()) {
        NDArray oneHot = indices.oneHot(k).toType(y.getDataType(), false);
        weights = oneHot.sub(y.stopGradient()).add(y);
      }
      quantizedFlat = weights.matMul(e);
      parameters.getValue(step, device, true).addi(1f);
      hostStep = steps() + 1;
    } else {
      indices = logits.argMax(1);
      quantizedFlat = e.get(new NDIndex("{}", indices));
      quantizedFlat.attach(scope);
    }

    // KL(q || uniform) = sum_k q_k (log q_k + log K), averaged over the vectors.
    NDArray logQ = logits.logSoftmax(1);
    NDArray kl = logQ.exp().mul(logQ.add(ScalarOps.constant(logQ, Math.log(k))))
        .sum(new int[] {1}).mean();
    NDArray loss = ScalarOps.mul(kl, config.klWeight());
    NDArray counts = CodebookSearch.counts(indices, k);
    NDArray zero = scope.zeros(new Shape(), DataType.FLOAT32, device);
    return new QuantizerOutput(layout.unflatten(quantizedFlat), indices.reshape(layout.indexShape()),
        kl, zero, loss, CodebookSearch.perplexity(counts), CodebookSearch.codesUsed(counts));
  }

  @Override
  public NDArray codebook(ParameterStore parameters) {
    return parameters.getValue(codebook, codebook.getArray().getDevice(), false);
  }

  @Override
  public NDArray decode(ParameterStore parameters, NDArray indices) {
    NDArray e = parameters.getValue(codebook, indices.getDevice(), false);
    NDArray rows = e.get(new NDIndex("{}", indices.flatten()));
    rows.attach(indices.getManager());
    return CodeLayout.ofIndices(indices.getShape(), config.codeDim()).unflatten(rows);
  }

  @Override
  public long restarts() {
    return 0;
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    QuantizerOutput out = quantize(parameterStore, inputs.singletonOrThrow(), training);
    return new NDList(out.quantized(), out.indices(), out.codebookLoss(), out.commitmentLoss(),
        out.loss(), out.perplexity(), out.codesUsed());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape indexShape = new CodeLayout(inputShapes[0], config.codeDim()).indexShape();
    Shape scalar = new Shape();
    return new Shape[] {inputShapes[0], indexShape, scalar, scalar, scalar, scalar, scalar};
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    super.initialize(manager, dataType, inputShapes);
    hostStep = -1;
  }

  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    super.loadParameters(manager, is);
    // Parameter.load restores values but not the autograd flag of trained parameters.
    for (Parameter p : getDirectParameters().values()) {
      if (p.requiresGradient()) {
        p.getArray().setRequiresGradient(true);
      }
    }
    hostStep = -1;
  }

  @Override
  public String toString() {
    return "GumbelQuantizer(K=" + config.numCodes() + ", D=" + config.codeDim() + ")";
  }
}
