package org.vqlab.core.quantizer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import org.vqlab.core.nn.ScalarOps;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.train.ReplicatedState;
import org.vqlab.core.nn.Gather;

/**
 * What the standard and EMA quantizers share: the codebook parameter, the step / restart / init
 * buffers, the layouts, the nearest-code search, k-means initialisation and the per-step
 * statistics. Subclasses say how the codebook learns ({@link #losses}, {@link #afterAssignment}).
 *
 * <p>Shared {@link CodebookOptions}: the gradient estimator (straight-through or the rotation
 * trick), the affine reparameterisation of the codebook from running statistics and the
 * synchronised update. A subclass gets them by passing the options to the constructor.
 *
 * <p>Precision: the search, the losses and every statistic are computed in float32 whatever the
 * input's type (a bfloat16 input is cast in, the quantized output cast back), and the block's own
 * arrays are float32 even inside a half-precision model.
 *
 * <p>Buffers are {@link Parameter}s with {@code requiresGrad = false}: they are saved and loaded
 * with the block and skipped by an optimiser that updates only parameters requiring gradient.
 * They are float32 (the block's data type), which counts steps and restarts exactly up to 2^24.
 * The step count and the init flag are mirrored on the host after one read, so a training step
 * never waits on the device for them.
 */
public abstract class AbstractVectorQuantizer extends AbstractBlock implements Quantizer,
    ReplicatedState {
  protected final int numCodes;
  protected final int codeDim;
  protected final double commitmentCost;
  protected final CodebookInit init;
  protected final int kmeansIterations;
  protected final CodeDistance distance;
  protected final double deadCodeThreshold;
  protected final int chunkSize;
  protected final CodebookOptions options;

  protected final Parameter codebook;
  private final Parameter step;
  private final Parameter restartCount;
  private final Parameter initialized;
  /** Running mean / variance per dimension of the inputs and the raw codes (affine only). */
  private final Parameter affineZMean;
  private final Parameter affineZVar;
  private final Parameter affineCMean;
  private final Parameter affineCVar;

  /** Host mirrors of {@link #step} and {@link #initialized}; valid when {@code mirrored}. */
  private long hostStep;
  private boolean hostInitialized;
  private boolean mirrored;

  /** During a data-parallel step: each replica's (inputs, indices, counts) on the master device. */
  private List<NDArray[]> replicaRecords;

  protected AbstractVectorQuantizer(int numCodes, int codeDim, double commitmentCost,
      CodebookInit init, int kmeansIterations, CodeDistance distance, double deadCodeThreshold,
      int chunkSize, boolean codebookRequiresGrad) {
    this(numCodes, codeDim, commitmentCost, init, kmeansIterations, distance, deadCodeThreshold,
        chunkSize, codebookRequiresGrad, CodebookOptions.PLAIN);
  }

  protected AbstractVectorQuantizer(int numCodes, int codeDim, double commitmentCost,
      CodebookInit init, int kmeansIterations, CodeDistance distance, double deadCodeThreshold,
      int chunkSize, boolean codebookRequiresGrad, CodebookOptions options) {
    this.options = options;
    this.numCodes = numCodes;
    this.codeDim = codeDim;
    this.commitmentCost = commitmentCost;
    this.init = init;
    this.kmeansIterations = kmeansIterations;
    this.distance = distance;
    this.deadCodeThreshold = deadCodeThreshold;
    this.chunkSize = chunkSize;
    Initializer codebookInit = init == CodebookInit.NORMAL
        ? new NormalInitializer(1f)
        : new UniformInitializer(1f / numCodes);
    codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(numCodes, codeDim)).optInitializer(codebookInit)
        .optRequiresGrad(codebookRequiresGrad).build());
    step = addParameter(buffer("step", new Shape(1), 0f));
    restartCount = addParameter(buffer("restarts", new Shape(1), 0f));
    // k-means runs on the first training batch, so a loaded checkpoint must not rerun it.
    initialized = addParameter(buffer("initialized", new Shape(1),
        init == CodebookInit.KMEANS ? 0f : 1f));
    // Only an affine quantizer has these, so checkpoints of plain ones keep their format.
    boolean affine = options.affine();
    affineZMean = affine ? addParameter(buffer("affine_z_mean", new Shape(codeDim), 0f)) : null;
    affineZVar = affine ? addParameter(buffer("affine_z_var", new Shape(codeDim), 1f)) : null;
    affineCMean = affine ? addParameter(buffer("affine_c_mean", new Shape(codeDim), 0f)) : null;
    affineCVar = affine ? addParameter(buffer("affine_c_var", new Shape(codeDim), 1f)) : null;
  }

  /** A saved, non-trainable state array. */
  protected static Parameter buffer(String name, Shape shape, float value) {
    return Parameter.builder().setName(name).setType(Parameter.Type.RUNNING_MEAN).optShape(shape)
        .optInitializer(new ConstantInitializer(value)).optRequiresGrad(false).build();
  }

  @Override
  public int numCodes() {
    return numCodes;
  }

  @Override
  public int codeDim() {
    return codeDim;
  }

  /**
   * The codebook the search uses (K, D): the raw codebook parameter, or with {@code affine} its
   * map mu_z + sqrt(var_z / var_c) (c - mu_c) from the running statistics. An affine codebook is a
   * new array in the caller's charge.
   */
  @Override
  public NDArray codebook(ParameterStore parameters) {
    Device device = codebook.getArray().getDevice();
    NDArray raw = parameters.getValue(codebook, device, false);
    return options.affine() ? affineMap(parameters, raw) : raw;
  }

  @Override
  public NDArray decode(ParameterStore parameters, NDArray indices) {
    CodeLayout layout = CodeLayout.ofIndices(indices.getShape(), codeDim);
    NDArray flat;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray e = codebook(parameters);
      // The quantized output of a cosine quantizer is the normalised code: decode the same vectors.
      NDArray es = distance == CodeDistance.COSINE ? CodebookSearch.normalizeRows(e) : e;
      flat = Gather.rows(es, indices.flatten());
      NDScope.unregister(flat);
    }
    // Ops on the codebook land in its (the model's) manager; keep the result in the caller's.
    flat.attach(indices.getManager());
    return layout.unflatten(flat);
  }

  /** mu_z + sqrt(var_z / var_c) (c - mu_c) per dimension; constants except {@code raw}. */
  private NDArray affineMap(ParameterStore parameters, NDArray raw) {
    Device device = raw.getDevice();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray zMean = parameters.getValue(affineZMean, device, false);
      NDArray zVar = parameters.getValue(affineZVar, device, false);
      NDArray cMean = parameters.getValue(affineCMean, device, false);
      NDArray cVar = parameters.getValue(affineCVar, device, false);
      NDArray scale = zVar.div(cVar.add(1e-8f)).sqrt();
      NDArray mapped = raw.sub(cMean).mul(scale).add(zMean);
      NDScope.unregister(mapped);
      return mapped;
    }
  }

  /**
   * Moves the affine statistics towards this batch's: the mean and (biased) variance per dimension
   * of the inputs {@code z} (N, D) and of the raw codes; the first training step copies them.
   */
  private void updateAffineStatistics(ParameterStore parameters, NDArray z, long stepsSoFar) {
    Device device = z.getDevice();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray raw = parameters.getValue(codebook, device, true).stopGradient();
      float m = stepsSoFar == 0 ? 1f : (float) options.affineMomentum();
      blend(parameters.getValue(affineZMean, device, true), z.mean(new int[] {0}), m);
      blend(parameters.getValue(affineZVar, device, true), variance(z), m);
      blend(parameters.getValue(affineCMean, device, true), raw.mean(new int[] {0}), m);
      blend(parameters.getValue(affineCVar, device, true), variance(raw), m);
    }
  }

  private static NDArray variance(NDArray x) {
    return x.sub(x.mean(new int[] {0}, true)).square().mean(new int[] {0});
  }

  /** target = (1 - m) target + m value, in place. */
  private static void blend(NDArray target, NDArray value, float m) {
    target.muli(1f - m).addi(value.mul(m));
  }

  @Override
  public long restarts() {
    return (long) restartCount.getArray().getFloat(0);
  }

  /** Training steps taken (quantize calls with training = true), including loaded ones. */
  public long steps() {
    mirror();
    return hostStep;
  }

  @Override
  public QuantizerOutput quantize(ParameterStore parameters, NDArray input, boolean training) {
    CodeLayout layout = CodeLayout.of(input, codeDim);
    NDArray z = QuantizerPrecision.toFloat32(input);
    Device device = z.getDevice();
    mirror();
    NDArray flat = layout.flatten(z);
    NDArray zs = distance == CodeDistance.COSINE ? CodebookSearch.normalizeRows(flat) : flat;
    NDArray detached = zs.stopGradient();
    if (training && !hostInitialized) {
      if (replicaRecords != null) {
        throw new IllegalStateException("k-means initialisation needs the whole batch (see needsWholeBatch)");
      }
      initializeFromData(parameters, detached);
    }
    if (training && options.affine()) {
      updateAffineStatistics(parameters, detached, hostStep);
    }
    if (training) {
      beforeAssignment(parameters, detached, hostStep);
    }
    NDArray e = parameters.getValue(codebook, device, training);
    NDArray es = e;
    if (options.affine()) {
      es = affineMap(parameters, es);
      es.attach(z.getManager());
    }
    if (distance == CodeDistance.COSINE) {
      // Results of ops on the codebook belong to the parameter's manager: scope them to the step.
      es = CodebookSearch.normalizeRows(es);
      es.attach(z.getManager());
    }
    NDArray indices;
    try (NDArray esDetached = es.stopGradient()) {
      indices = CodebookSearch.nearest(detached, esDetached, chunkSize);
    }
    NDArray counts = CodeHistogram.counts(indices, numCodes);
    NDArray q = Gather.rows(es, indices);
    q.attach(z.getManager());
    NDList losses = losses(zs, q);
    NDArray quantizedFlat;
    try (NDArray residual = losses.get(3); NDArray sg = residual.stopGradient()) {
      quantizedFlat = options.gradient() == GradientEstimator.ROTATION
          ? RotationTrick.apply(zs, q)
          // z + sg[q - z] = z - sg[z - q], reusing the commitment residual z - sg[q].
          : zs.sub(sg);
    }
    if (options.syncNu() > 0) {
      // + nu q - sg[nu q]: the same value, and the codebook follows the decoder's gradient too.
      try (NDArray nuQ = ScalarOps.mul(q, options.syncNu()); NDArray nuQd = nuQ.stopGradient()) {
        quantizedFlat = quantizedFlat.add(nuQ.sub(nuQd));
      }
    }
    if (training && replicaRecords != null) {
      Device master = codebook.getArray().getDevice();
      replicaRecords.add(new NDArray[] {detached.toDevice(master, false), indices.toDevice(master, false),
          counts.toDevice(master, false)});
    } else if (training) {
      afterAssignment(parameters, detached, indices, counts, hostStep + 1);
      parameters.getValue(step, device, true).addi(1f);
      hostStep++;
    }
    NDArray perplexity = CodeHistogram.perplexity(counts);
    NDArray used = CodeHistogram.codesUsed(counts);
    return new QuantizerOutput(
        QuantizerPrecision.restore(layout.unflatten(quantizedFlat), input),
        indices.reshape(layout.indexShape()), losses.get(0), losses.get(1), losses.get(2),
        perplexity, used);
  }

  /** k-means initialisation runs on the first training batch, whole. */
  @Override
  public boolean needsWholeBatch() {
    mirror();
    return !hostInitialized;
  }

  /**
   * Data parallelism: replicas' training forwards record their inputs, indices and counts instead of
   * updating the state; {@link #finishReplicaStep} then runs {@link #afterAssignment} once on the
   * whole batch's (the replicas' shards in order), as one device would have.
   */
  @Override
  public void beginReplicaStep() {
    if (restartsBeforeAssignment()) {
      throw new ConfigError(this + ": dead-code restarts before the assignment (the standard"
          + " quantizer with dead_code_threshold > 0) need the whole batch before any replica runs and"
          + " are not data-parallel; use quantizer=ema or one device (trainer.devices = [])");
    }
    replicaRecords = new ArrayList<>();
  }

  @Override
  public void finishReplicaStep(ParameterStore master) {
    List<NDArray[]> records = replicaRecords;
    replicaRecords = null;
    if (records.isEmpty()) {
      return;
    }
    NDList z = new NDList();
    NDList indices = new NDList();
    NDArray counts = null;
    for (NDArray[] r : records) {
      z.add(r[0]);
      indices.add(r[1]);
      counts = counts == null ? r[2] : counts.add(r[2]);
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray allZ = z.size() == 1 ? z.get(0) : ai.djl.ndarray.NDArrays.concat(z);
      NDArray allIndices = indices.size() == 1 ? indices.get(0) : ai.djl.ndarray.NDArrays.concat(indices);
      Device device = allZ.getDevice();
      afterAssignment(master, allZ, allIndices, counts, hostStep + 1);
      master.getValue(step, device, true).addi(1f);
      hostStep++;
    }
  }

  /** True when {@link #beforeAssignment} may change the codebook from the batch (restarts). */
  protected boolean restartsBeforeAssignment() {
    return false;
  }

  /**
   * {codebook loss, commitment loss, loss, residual}: three scalars and the residual z - sg[q]
   * (N, D), from which the straight-through output is formed. {@code zs} carries the encoder's
   * gradient and {@code q} the codebook's (if it requires one).
   */
  protected abstract NDList losses(NDArray zs, NDArray q);

  /** Called in training before the search, with the (normalised) inputs and the steps so far. */
  protected void beforeAssignment(ParameterStore parameters, NDArray z, long stepsSoFar) {}

  /** Called in training after the search; {@code t} is the number of this step (1-based). */
  protected void afterAssignment(ParameterStore parameters, NDArray z, NDArray indices,
      NDArray counts, long t) {}

  /** Called once the codebook holds its data-dependent initial value (k-means). */
  protected void onCodebookInitialized(ParameterStore parameters, NDArray codebookValue) {}

  private void initializeFromData(ParameterStore parameters, NDArray z) {
    Device device = z.getDevice();
    if (init == CodebookInit.KMEANS) {
      try (NDArray centres = KMeansSeeding.fit(z, numCodes, kmeansIterations, chunkSize)) {
        assign(parameters.getValue(codebook, device, true), centres);
      }
      onCodebookInitialized(parameters, parameters.getValue(codebook, device, true));
    }
    parameters.getValue(initialized, device, true).addi(1f);
    hostInitialized = true;
  }

  /**
   * Replaces a parameter's value in place of its native handle. The Java array (the one the
   * optimiser and the parameter hold) stays the same object, so gradients recorded on the new
   * value reach the optimiser.
   */
  protected static void assign(NDArray target, NDArray value) {
    boolean grad = target.hasGradient();
    NDArray copy = value.stopGradient().toType(target.getDataType(), true);
    target.intern(copy);
    if (grad) {
      target.setRequiresGradient(true);
    }
  }

  /** As {@link #assign} for a freshly computed {@code value} that nothing else uses: no copy. */
  protected static void assignOwned(NDArray target, NDArray value) {
    boolean grad = target.hasGradient();
    target.intern(value);
    if (grad) {
      target.setRequiresGradient(true);
    }
  }

  /** {@code count} uniformly chosen rows of {@code z}: the candidates for restarted codes. */
  protected static NDArray restartCandidates(NDArray z, int count) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      // randomInteger has no device argument: the manager's device may differ from z's.
      NDArray rows = z.getManager().randomInteger(0, z.getShape().get(0), new Shape(count),
          DataType.INT64).toDevice(z.getDevice(), false);
      NDArray picked = z.get(new NDIndex("{}", rows));
      NDScope.unregister(picked);
      return picked;
    }
  }

  /** Adds the number of true entries of {@code dead} (K, boolean) to the restart counter. */
  protected void countRestarts(ParameterStore parameters, NDArray dead) {
    try (NDArray n = dead.toType(DataType.FLOAT32, false).sum()) {
      parameters.getValue(restartCount, dead.getDevice(), true).addi(n);
    }
  }

  private void mirror() {
    if (!mirrored) {
      hostStep = (long) org.vqlab.core.train.HostReads.scalar(step.getArray());
      hostInitialized = org.vqlab.core.train.HostReads.scalar(initialized.getArray()) > 0.5f;
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
    CodeLayout layout = new CodeLayout(inputShapes[0], codeDim);
    Shape scalar = new Shape();
    return new Shape[] {inputShapes[0], layout.indexShape(), scalar, scalar, scalar, scalar, scalar};
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    // The codebook and its statistics stay float32 in a half-precision model.
    super.initialize(manager, DataType.FLOAT32, inputShapes);
    mirrored = false;
  }

  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    super.loadParameters(manager, is);
    restoreGradientFlags(this);
    mirrored = false;
  }

  /**
   * Parameter.load restores values but not the autograd flag; a loaded codebook (or FSQ scale)
   * must train on.
   */
  static void restoreGradientFlags(AbstractBlock block) {
    for (Parameter p : block.getDirectParameters().values()) {
      if (p.requiresGradient()) {
        p.getArray().setRequiresGradient(true);
      }
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(K=" + numCodes + ", D=" + codeDim + ", " + distance + ")";
  }
}
