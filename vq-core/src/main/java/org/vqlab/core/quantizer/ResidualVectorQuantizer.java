package org.vqlab.core.quantizer;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.vqlab.core.data.SplitMix64;

/**
 * Residual vector quantisation (Zeghidour et al. 2021, SoundStream): stage s quantizes what the
 * stages before it left, r_0 = z, q_s = Q_s(r_s), r_{s+1} = r_s - q_s, and the output is
 * sum_s q_s with one straight-through path z + sg[sum_s q_s - z] (as EnCodec), so the encoder's
 * gradient is that of the identity. Each stage is a full {@link VectorQuantizer} or
 * {@link EmaVectorQuantizer} with its own codebook, losses, k-means init and dead-code restarts;
 * its commitment loss pulls the residual it sees, and the losses are summed over the stages. A
 * shared codebook is one stage quantizer called by every stage (an EMA one then takes one update
 * per stage and step, as vector-quantize-pytorch does).
 *
 * <p>Quantizer dropout: with probability {@code dropout} a training step uses only the first k
 * stages, k uniform in [dropout_min_stages, S]. k is a pure function of (dropout_seed, step) and
 * the step count is a saved buffer mirrored on the host, so the draw needs no device read and a
 * resumed run draws what the uninterrupted one would. Stages that do not run have index -1 and
 * perplexity and codes used 0. Outside training the first {@code eval_stages} stages run.
 *
 * <p>Indices have a stage axis (see {@link Quantizer}) whenever more than one stage can appear:
 * in training when S > 1, in evaluation when eval_stages > 1.
 */
public final class ResidualVectorQuantizer extends AbstractBlock implements Quantizer {
  private final ResidualQuantizerConfig config;
  private final AbstractVectorQuantizer[] stages;
  private final Parameter step;
  private long hostStep;
  private boolean mirrored;

  public ResidualVectorQuantizer(ResidualQuantizerConfig config,
      Supplier<AbstractVectorQuantizer> stageFactory) {
    this.config = config;
    int s = config.stages();
    stages = new AbstractVectorQuantizer[s];
    if (config.sharedCodebook()) {
      AbstractVectorQuantizer shared = addChildBlock("shared", stageFactory.get());
      java.util.Arrays.fill(stages, shared);
    } else {
      for (int i = 0; i < s; i++) {
        stages[i] = addChildBlock("stage" + (i + 1), stageFactory.get());
      }
    }
    for (AbstractVectorQuantizer q : stages) {
      if (q.numCodes() != config.numCodes() || q.codeDim() != config.codeDim()) {
        throw new IllegalArgumentException("stage quantizer " + q + " does not match K="
            + config.numCodes() + ", D=" + config.codeDim());
      }
    }
    step = addParameter(AbstractVectorQuantizer.buffer("step", new Shape(1), 0f));
  }

  public ResidualQuantizerConfig config() {
    return config;
  }

  @Override
  public int numCodes() {
    return config.numCodes();
  }

  @Override
  public int codeDim() {
    return config.codeDim();
  }

  @Override
  public int stages() {
    return config.stagesInEvaluation();
  }

  /** The quantizer of stage {@code s}, for any of the S stages (also those evaluation skips). */
  @Override
  public Quantizer stage(int s) {
    if (s < 0 || s >= stages.length) {
      throw new IndexOutOfBoundsException("stage " + s + " of " + stages.length + " stages");
    }
    return stages[s];
  }

  /** The codebook of stage 0 (every stage's is {@code stage(s).codebook}). */
  @Override
  public NDArray codebook(ParameterStore parameters) {
    return stages[0].codebook(parameters);
  }

  @Override
  public long restarts() {
    long sum = 0;
    for (AbstractVectorQuantizer q : distinctStages()) {
      sum += q.restarts();
    }
    return sum;
  }

  /** Training steps taken, including loaded ones. */
  public long steps() {
    mirror();
    return hostStep;
  }

  /**
   * The stages training step {@code t} (1-based) uses: S without dropout, else with probability
   * {@code dropout} a k uniform in [dropout_min_stages, S], from a hash of (dropout_seed, t).
   */
  public int stagesAtStep(long t) {
    int s = config.stages();
    if (config.dropout() <= 0 || config.dropoutMinStages() == s) {
      return s;
    }
    long h = SplitMix64.mix(config.dropoutSeed(), t);
    double u = (h >>> 11) * 0x1.0p-53;
    if (u >= config.dropout()) {
      return s;
    }
    int span = s - config.dropoutMinStages() + 1;
    return config.dropoutMinStages() + (int) Long.remainderUnsigned(SplitMix64.mix(h), span);
  }

  @Override
  public QuantizerOutput quantize(ParameterStore parameters, NDArray z, boolean training) {
    CodeLayout.of(z, config.codeDim());
    mirror();
    int used = training ? stagesAtStep(hostStep + 1) : config.stagesInEvaluation();
    int axis = training ? config.stages() : used;
    NDArray residual = z;
    NDArray sum = null;
    NDArray codebookLoss = null;
    NDArray commitment = null;
    NDArray loss = null;
    NDList indices = new NDList();
    NDList perplexity = new NDList();
    NDList codesUsed = new NDList();
    for (int s = 0; s < used; s++) {
      QuantizerOutput o = stages[s].quantize(parameters, residual, training);
      NDArray q = o.quantized().stopGradient();
      sum = sum == null ? q : sum.add(q);
      if (s + 1 < used) {
        // Carries the encoder's gradient: stage s + 1's commitment loss pulls z towards it.
        residual = residual.sub(q);
      }
      codebookLoss = codebookLoss == null ? o.codebookLoss() : codebookLoss.add(o.codebookLoss());
      commitment = commitment == null ? o.commitmentLoss() : commitment.add(o.commitmentLoss());
      loss = loss == null ? o.loss() : loss.add(o.loss());
      indices.add(o.indices());
      perplexity.add(o.perplexity().toType(DataType.FLOAT32, false));
      codesUsed.add(o.codesUsed().toType(DataType.INT64, false));
    }
    for (int s = used; s < axis; s++) {
      indices.add(indices.get(0).onesLike().neg());
      perplexity.add(perplexity.get(0).zerosLike());
      codesUsed.add(codesUsed.get(0).zerosLike());
    }
    NDArray quantized;
    try (NDArray zd = z.stopGradient(); NDArray gap = zd.sub(sum)) {
      quantized = z.sub(gap);
    }
    if (training) {
      parameters.getValue(step, z.getDevice(), true).addi(1f);
      hostStep++;
    }
    if (axis == 1) {
      return new QuantizerOutput(quantized, indices.get(0), codebookLoss, commitment, loss,
          perplexity.get(0), codesUsed.get(0));
    }
    return new QuantizerOutput(quantized, NDArrays.stack(indices, 1), codebookLoss, commitment,
        loss, NDArrays.stack(perplexity), NDArrays.stack(codesUsed));
  }

  /**
   * The sum of the stages' vectors: {@code indices} as evaluation gives them, with a stage axis
   * of S' <= S stages (the first S' are summed; -1 adds nothing) when {@link #stages()} > 1. Codes
   * without a stage axis, (N) or (B, H, W), or any codes when {@link #stages()} is 1, are those of
   * stage 1 alone (the lowest bitrate). (B, T, H, W) video codes need the stage axis: rank 4 is
   * read as (B, S, H, W).
   */
  @Override
  public NDArray decode(ParameterStore parameters, NDArray indices) {
    Shape shape = indices.getShape();
    int rank = shape.dimension();
    if (stages() == 1 || rank == 1 || rank == 3) {
      return stages[0].decode(parameters, indices);
    }
    if (rank != 2 && rank != 4 && rank != 5) {
      throw new IllegalArgumentException("residual codes must be (N, S), (B, S, H, W) or"
          + " (B, S, T, H, W); got " + shape);
    }
    long given = shape.get(1);
    if (given < 1 || given > config.stages()) {
      throw new IllegalArgumentException("residual codes " + shape + " have " + given
          + " stages on axis 1; this quantizer has " + config.stages());
    }
    NDArray sum = null;
    for (int s = 0; s < given; s++) {
      NDArray code = indices.get(new NDIndex(":, {}", s)).toType(DataType.INT64, false);
      NDArray valid = code.gte(0L);
      NDArray vectors = stages[s].decode(parameters, code.maximum(0L));
      NDArray masked = vectors.mul(valid.expandDims(1).toType(vectors.getDataType(), false));
      sum = sum == null ? masked : sum.add(masked);
    }
    return sum;
  }

  private Set<AbstractVectorQuantizer> distinctStages() {
    return new LinkedHashSet<>(java.util.Arrays.asList(stages));
  }

  private void mirror() {
    if (!mirrored) {
      hostStep = (long) step.getArray().getFloat(0);
      mirrored = true;
    }
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
    CodeLayout layout = new CodeLayout(inputShapes[0], config.codeDim());
    Shape scalar = new Shape();
    int s = stages();
    Shape index = layout.indexShape();
    Shape perStage = scalar;
    if (s > 1) {
      index = index.slice(0, 1).add(s).addAll(index.slice(1));
      perStage = new Shape(s);
    }
    return new Shape[] {inputShapes[0], index, scalar, scalar, scalar, perStage, perStage};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (AbstractVectorQuantizer q : distinctStages()) {
      q.initialize(manager, dataType, inputShapes[0]);
    }
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    super.initialize(manager, dataType, inputShapes);
    mirrored = false;
  }

  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    super.loadParameters(manager, is);
    mirrored = false;
  }

  @Override
  public String toString() {
    return "ResidualVectorQuantizer(S=" + config.stages() + ", K=" + config.numCodes() + ", D="
        + config.codeDim() + ", " + config.codebook().name().toLowerCase(java.util.Locale.ROOT)
        + (config.sharedCodebook() ? ", shared" : "") + ")";
  }
}
