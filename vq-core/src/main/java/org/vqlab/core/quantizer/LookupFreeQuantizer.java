package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.Collections;
import org.vqlab.core.nn.ScalarOps;

/**
 * Lookup-free quantisation (Yu et al. 2023, "Language Model Beats Diffusion", MAGVIT-v2): q_c =
 * sign(z_c) in {-1, +1} (z_c = 0 gives -1), bit c = [z_c > 0], index = sum_c bit_c 2^c, with the
 * straight-through gradient and the commitment loss beta |z - sg[q]|^2.
 *
 * <p>Entropy penalty, from the soft assignment p(k | z) = softmax_k(2 z . c_k / tau) over the 2^d
 * codes c_k in {-1, +1}^d:
 *
 * <pre>
 *   penalty = entropy_weight (mean_n H(p(. | z_n)) - diversity_weight H(mean_n p(. | z_n)))
 * </pre>
 *
 * low per-sample entropy makes each assignment confident, high batch entropy spreads the batch
 * over the codes. Because 2 z . c_k = sum_c 2 z_c c_kc, p(. | z) factorises into independent bits
 * with P(bit c) = sigmoid(4 z_c / tau), so the per-sample entropy is exactly sum_c H(sigmoid(4 z_c /
 * tau)); the batch entropy does not factorise and averages the full (N, 2^d) assignment, computed
 * {@code chunk_size} rows at a time (autograd keeps N x 2^d floats for the backward pass: 2^9 codes
 * x 3136 rows is 6 MiB, 2^16 codes 0.8 GiB, hence d <= 16). The penalty is returned as the
 * codebook loss (LFQ has no codebook), and the loss is commitment + penalty.
 */
public final class LookupFreeQuantizer extends GridQuantizer {
  private final LfqConfig config;

  public LookupFreeQuantizer(LfqConfig config) {
    super(Collections.nCopies(config.codeDim(), 2));
    this.config = config;
  }

  @Override
  protected Rows quantizeRows(ParameterStore parameters, NDArray z, boolean training) {
    NDArray bits = z.gt(0f).toType(DataType.FLOAT32, false);
    NDArray q = values(bits);
    NDArray residual = z.sub(q);
    NDArray commitment = ScalarOps.mul(residual.square().mean(), config.commitmentCost());
    NDArray quantized = z.sub(residual.stopGradient());
    NDArray penalty;
    if (config.entropyWeight() > 0) {
      NDList terms = entropyTerms(z);
      NDArray diversity = ScalarOps.mul(terms.get(1), config.diversityWeight());
      penalty = ScalarOps.mul(terms.get(0).sub(diversity), config.entropyWeight());
    } else {
      penalty = z.getManager().zeros(new Shape(), DataType.FLOAT32,
          z.getDevice());
    }
    return new Rows(quantized, bits, penalty, commitment, commitment.add(penalty));
  }

  /**
   * {per-sample entropy, batch entropy} in nats of the soft assignment of rows {@code z} (N, d),
   * both differentiable in z.
   */
  public NDList entropyTerms(NDArray z) {
    NDArray logits = ScalarOps.mul(z, 4 / config.temperature());
    // H(Bernoulli(sigmoid(a))) = softplus(a) - a sigmoid(a)
    NDArray perBit = Activation.softPlus(logits).sub(logits.mul(Activation.sigmoid(logits)));
    NDArray perSample = perBit.sum(new int[] {1}).mean();

    NDManager m = z.getManager();
    NDArray codes;
    try (NDArray all = m.arange(0, numCodes(), 1, DataType.INT64)) {
      codes = values(digitsOf(all)).toDevice(z.getDevice(), false);
    }
    NDArray codesT = ScalarOps.mul(codes, 2 / config.temperature()).transpose();
    long n = z.getShape().get(0);
    long chunk = config.chunkSize() <= 0 ? n : config.chunkSize();
    NDList partial = new NDList();
    for (long start = 0; start < n; start += chunk) {
      NDArray rows = z.get(new NDIndex("{}:{}", start, Math.min(n, start + chunk)));
      partial.add(rows.matMul(codesT).softmax(1).sum(new int[] {0}, true));
    }
    NDArray total = partial.size() == 1 ? partial.get(0)
        : NDArrays.concat(partial).sum(new int[] {0}, true);
    NDArray mean = ScalarOps.div(total, n).squeeze(0);
    NDArray batch = mean.mul(ScalarOps.atLeast(mean, 1e-12).log()).sum().neg();
    return new NDList(perSample, batch);
  }

  @Override
  protected NDArray values(NDArray digits) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray v = digits.toType(DataType.FLOAT32, false).mul(2f).sub(1f);
      NDScope.unregister(v);
      return v;
    }
  }
}
