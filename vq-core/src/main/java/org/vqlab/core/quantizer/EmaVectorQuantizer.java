package org.vqlab.core.quantizer;

import org.vqlab.core.nn.ScalarOps;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The VQ-VAE quantizer with an exponential-moving-average codebook (van den Oord et al. 2017,
 * appendix; Razavi et al. 2019). The codebook gets no gradient; each training step
 *
 * <pre>
 *   N &lt;- gamma N + (1 - gamma) counts        m &lt;- gamma m + (1 - gamma) sums
 *   (zero_debias: N and m below are divided by 1 - gamma^t)
 *   N_i' = (N_i + eps) / (n + K eps) * n,  n = sum N        e = m / N'
 * </pre>
 *
 * and only the commitment loss beta |z - sg[e]|^2 is returned ({@code codebookLoss} is 0).
 *
 * <p>Start values: with zero_debias the hidden averages start at 0, as debiasing assumes, and a
 * code unused so far is e = 0 / N' = 0 (finite; restarts revive it). Without it they start at
 * N = 1, m = e_0, so an unused code decays in N and m alike and stays near its initial value.
 *
 * <p>The step is split for data parallelism: {@link #collectStatistics} computes this replica's
 * counts and sums, {@link #setStatisticsReducer a reducer} (identity on one device; an all-reduce
 * in a data-parallel trainer) combines them, and {@link #applyStatistics} updates the buffers,
 * the codebook and restarts dead codes (moving count below {@code dead_code_threshold}) from the
 * statistics' candidates. Because the codebook is not in the autograd graph, it is updated in
 * place after the forward pass.
 */
public class EmaVectorQuantizer extends AbstractVectorQuantizer {
  private final double decay;
  private final double epsilon;
  private final boolean zeroDebias;
  private final Parameter clusterSize;
  private final Parameter embedSum;
  private UnaryOperator<CodeStatistics> reducer = UnaryOperator.identity();

  public EmaVectorQuantizer(EmaQuantizerConfig config) {
    super(config.numCodes(), config.codeDim(), config.commitmentCost(), config.init(),
        config.kmeansIterations(), config.distance(), config.deadCodeThreshold(),
        config.chunkSize(), false, config.options());
    this.decay = config.decay();
    this.epsilon = config.epsilon();
    this.zeroDebias = config.zeroDebias();
    float start = zeroDebias ? 0f : 1f;
    clusterSize = addParameter(buffer("ema_cluster_size", new Shape(numCodes), start));
    embedSum = addParameter(buffer("ema_embed_sum", new Shape(numCodes, codeDim), 0f));
  }

  /**
   * Installs the function applied to each step's statistics before they update the codebook; a
   * data-parallel trainer passes an all-reduce (see {@link CodeStatistics}).
   */
  public void setStatisticsReducer(UnaryOperator<CodeStatistics> reducer) {
    this.reducer = Objects.requireNonNull(reducer, "reducer");
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    super.initialize(manager, dataType, inputShapes);
    if (!zeroDebias) {
      assign(embedSum.getArray(), codebook.getArray());
    }
  }

  @Override
  protected void onCodebookInitialized(ParameterStore parameters, NDArray codebookValue) {
    if (!zeroDebias) {
      NDArray n = parameters.getValue(clusterSize, codebookValue.getDevice(), true);
      try (NDArray m = codebookValue.mul(n.expandDims(1))) {
        assign(parameters.getValue(embedSum, codebookValue.getDevice(), true), m);
      }
    }
  }

  /** The moving count per code as the update uses it (debiased if zero_debias), shape (K). */
  public NDArray clusterSize(ParameterStore parameters) {
    NDArray hidden = parameters.getValue(clusterSize, clusterSize.getArray().getDevice(), false);
    return hidden.div((float) debias(steps()));
  }

  /** The moving sum per code as the update uses it (debiased if zero_debias), shape (K, D). */
  public NDArray embedSum(ParameterStore parameters) {
    NDArray hidden = parameters.getValue(embedSum, embedSum.getArray().getDevice(), false);
    return hidden.div((float) debias(steps()));
  }

  @Override
  protected NDList losses(NDArray zs, NDArray q) {
    NDArray commitment;
    NDArray residual;
    try (NDArray qDetached = q.stopGradient()) {
      residual = zs.sub(qDetached);
      // A constant factor as a real array: DJL frees the temporary of mul(Number) before backward.
      commitment = ScalarOps.mul(residual.square().mean(), commitmentCost);
    }
    NDArray zero = zs.getManager().zeros(new Shape(), zs.getDataType(), zs.getDevice());
    return new NDList(zero, commitment, commitment, residual);
  }

  @Override
  protected void afterAssignment(ParameterStore parameters, NDArray z, NDArray indices,
      NDArray counts, long t) {
    try (CodeStatistics local = collectStatistics(z, indices, counts)) {
      CodeStatistics reduced = reducer.apply(local);
      try {
        applyStatistics(parameters, reduced, t);
      } finally {
        if (reduced != local) {
          reduced.close();
        }
      }
    }
  }

  /** This replica's statistics for one step; {@code z} (N, D) is detached and normalised. */
  public CodeStatistics collectStatistics(NDArray z, NDArray indices, NDArray counts) {
    NDArray sums = CodebookSearch.sums(z, indices, counts);
    NDArray candidates = deadCodeThreshold > 0 ? restartCandidates(z, numCodes) : null;
    return new CodeStatistics(counts.duplicate(), sums, candidates);
  }

  /**
   * Applies (possibly all-reduced) statistics as step {@code t} (1-based): the moving averages,
   * the Laplace-smoothed codebook, then restarts of codes whose moving count is below the
   * threshold. Restarted codes get moving count = threshold and moving sum = threshold x the
   * candidate, so that they must win vectors to survive.
   */
  public void applyStatistics(ParameterStore parameters, CodeStatistics stats, long t) {
    Device device = stats.sums().getDevice();
    NDArray hiddenN = parameters.getValue(clusterSize, device, true);
    NDArray hiddenM = parameters.getValue(embedSum, device, true);
    NDArray e = parameters.getValue(codebook, device, true);
    float g = (float) decay;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray c = stats.counts().toType(hiddenN.getDataType(), false);
      hiddenN.muli(g).addi(c.mul(1 - g));
      hiddenM.muli(g).addi(stats.sums().mul(1 - g));
      float bias = (float) debias(t);
      NDArray n = hiddenN.div(bias);
      NDArray total = n.sum();
      NDArray smoothed = n.add((float) epsilon).div(total.add((float) (numCodes * epsilon)))
          .mul(total);
      // e = (m_hidden / bias) / N': one (K, 1) scale, one K x D product.
      NDArray updated = hiddenM.mul(smoothed.mul(bias).expandDims(1).pow(-1));
      if (deadCodeThreshold > 0 && stats.candidates() != null) {
        NDArray dead = n.lt((float) deadCodeThreshold);
        NDArray dead2 = dead.expandDims(1).broadcast(updated.getShape());
        float keep = (float) (deadCodeThreshold * bias);
        updated = NDArrays.where(dead2, stats.candidates(), updated);
        assignOwned(hiddenN, NDArrays.where(dead, hiddenN.zerosLike().add(keep), hiddenN));
        assignOwned(hiddenM, NDArrays.where(dead2, stats.candidates().mul(keep), hiddenM));
        countRestarts(parameters, dead);
      }
      assignOwned(e, updated);
    }
  }

  private double debias(long t) {
    return zeroDebias && t > 0 ? 1 - Math.pow(decay, t) : 1;
  }
}
