package org.vqlab.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (AdamW when weight_decay > 0), global-norm gradient clipping and
 * a warm-up + cosine schedule. Written here rather than taken from DJL because a checkpoint must
 * hold the optimiser state (moments and step), which DJL's optimisers keep private.
 *
 * <p>Only parameters that require gradient are optimised, so non-gradient state such as EMA
 * codebooks is never touched. All updates stay on the parameters' device; clipping scales on device
 * without reading the norm back to the host.
 */
public final class AdamOptimizer implements AutoCloseable {
  private static final float EPSILON = 1e-8f;

  private final List<Parameter> parameters;
  private final TrainerConfig config;
  private final NDManager stateManager;
  // Both moments of every parameter in one flat array each, parameter i at [offsets[i], offsets[i + 1]):
  // the update is a dozen operations on them, not a dozen per parameter.
  private final NDArray mean;
  private final NDArray variance;
  private final long[] offsets;
  private long updates;
  private Constants constants;

  public AdamOptimizer(List<Parameter> parameters, TrainerConfig config, NDManager manager) {
    this.parameters = parameters.stream().filter(Parameter::requiresGradient).toList();
    this.config = config;
    this.stateManager = manager.newSubManager();
    offsets = new long[this.parameters.size() + 1];
    DataType type = DataType.FLOAT32;
    Device device = manager.getDevice();
    for (int i = 0; i < this.parameters.size(); i++) {
      NDArray w = this.parameters.get(i).getArray();
      if (i == 0) {
        type = w.getDataType();
        device = w.getDevice();
      } else if (w.getDataType() != type || !w.getDevice().equals(device)) {
        throw new IllegalArgumentException("Adam keeps one flat state: parameter '"
            + this.parameters.get(i).getName() + "' is " + w.getDataType() + " on " + w.getDevice()
            + ", the first is " + type + " on " + device);
      }
      offsets[i + 1] = offsets[i] + w.size();
    }
    mean = stateManager.zeros(new Shape(offsets[offsets.length - 1]), type, device);
    variance = stateManager.zeros(new Shape(offsets[offsets.length - 1]), type, device);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  public long updates() {
    return updates;
  }

  /** The learning rate at a 1-based step: linear warm-up, then constant or cosine decay. */
  public static double learningRate(TrainerConfig c, long step) {
    if (c.warmupSteps() > 0 && step <= c.warmupSteps()) {
      return c.learningRate() * step / c.warmupSteps();
    }
    if (c.schedule() == TrainerConfig.Schedule.COSINE) {
      double span = Math.max(1, c.maxSteps() - c.warmupSteps());
      double progress = Math.min(1.0, (step - c.warmupSteps()) / span);
      return c.minLearningRate() + 0.5 * (c.learningRate() - c.minLearningRate()) * (1 + Math.cos(Math.PI * progress));
    }
    return c.learningRate();
  }

  /**
   * One update from the gradients currently held by the parameters, which are then zeroed.
   * Returns the global gradient norm before clipping (an array in {@code scratch}).
   */
  public NDArray step(long step, NDManager scratch) {
    return step(step, scratch, null, true);
  }

  /**
   * One update from the gradients the parameters hold, which are then zeroed, without any read
   * back to the host and without a scalar copied to the device per operation (DJL's
   * {@code mul(Number)} copies its number to the device; here every constant is a device scalar
   * made by a fill). When {@code apply} (a boolean device scalar) is false the parameters do not
   * move: gradients are replaced by zeros and the step size is zero, so that a step whose loss is
   * not finite is skipped on the device. Returns the gradient norm before clipping when
   * {@code reportNorm} (or clipping) asks for it, else null.
   */
  public NDArray step(long step, NDManager scratch, NDArray apply, boolean reportNorm) {
    updates++;
    double lr = learningRate(config, step);
    float beta1 = config.betas().get(0).floatValue();
    float beta2 = config.betas().get(1).floatValue();
    double correction1 = 1 - Math.pow(beta1, updates);
    double correction2 = 1 - Math.pow(beta2, updates);
    if (parameters.isEmpty()) {
      return reportNorm ? scratch.zeros(new Shape()) : null;
    }
    NDArray first = parameters.get(0).getArray();
    Constants k = constants(first, beta1, beta2);
    List<NDArray> grads = new ArrayList<>(parameters.size());
    NDList flat = new NDList(parameters.size());
    for (Parameter p : parameters) {
      NDArray grad = p.getArray().getGradient();
      grad.attach(scratch);
      grads.add(grad);
      flat.add(grad.reshape(-1));
    }
    NDArray g = flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat);
    NDArray norm = null;
    if (reportNorm || config.gradClip() > 0) {
      norm = g.square().sum().sqrt();
      if (config.gradClip() > 0) {
        // min(1, clip / (norm + 1e-6)), on the device.
        g = g.mul(fill(scratch, first, config.gradClip()).div(norm.add(k.tiny)).minimum(k.one));
      }
    }
    // PyTorch's Adam: w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps).
    NDArray stepSize = fill(scratch, first, lr / correction1);
    NDArray applied = apply == null ? null : apply.toType(stepSize.getDataType(), false);
    if (applied != null) {
      applied.attach(scratch);
      stepSize = stepSize.mul(applied);
      // Last, so that nothing non-finite (a NaN norm in the scale) gets past it. torch.where
      // broadcasts the scalars; DJL's NDArrays.where would insist on equal shapes.
      g = JniUtils.where((PtNDArray) apply, (PtNDArray) g, (PtNDArray) k.zero);
    }
    NDArray invRootC2 = fill(scratch, first, 1 / Math.sqrt(correction2));
    // Results of ops on long-lived arrays belong to those arrays' managers: every temporary is
    // attached to the step's scope so that nothing outlives the step.
    NDArray gm = g.mul(k.oneMinusBeta1);
    NDArray g2 = g.square().muli(k.oneMinusBeta2);
    scratch.attachAll(g, gm, g2);
    mean.muli(k.beta1).addi(gm);
    variance.muli(k.beta2).addi(g2);
    NDArray denominator = variance.sqrt().muli(invRootC2).addi(k.epsilon);
    NDArray update = mean.div(denominator).muli(stepSize);
    scratch.attachAll(denominator, update);
    NDArray decay = config.weightDecay() > 0 ? fill(scratch, first, lr * config.weightDecay()) : null;
    if (decay != null && applied != null) {
      decay = decay.mul(applied);
    }
    NDList parts = parameters.size() == 1 ? new NDList(update) : update.split(inner(), 0);
    for (int i = 0; i < parameters.size(); i++) {
      NDArray w = parameters.get(i).getArray();
      NDArray u = parts.get(i).reshape(w.getShape());
      if (decay != null) {
        NDArray d = w.mul(decay);
        d.attach(scratch);
        u = u.add(d);
      }
      w.subi(u);
      JniUtils.zeroGrad((PtNDArray) w);
    }
    return norm;
  }

  /** The split points of the flat state: the offsets of parameters 1 .. n-1. */
  private long[] inner() {
    return java.util.Arrays.copyOfRange(offsets, 1, offsets.length - 1);
  }

  /** Parameter i's slice of a flat state array, in the parameter's shape (a view). */
  private NDArray slice(NDArray state, int i) {
    try (NDArray range = state.get(new NDIndex("{}:{}", offsets[i], offsets[i + 1]))) {
      return range.reshape(parameters.get(i).getArray().getShape());
    }
  }

  /** Device scalars that stay the same every step. */
  private record Constants(NDArray beta1, NDArray beta2, NDArray oneMinusBeta1, NDArray oneMinusBeta2,
      NDArray epsilon, NDArray zero, NDArray one, NDArray tiny) {}

  private Constants constants(NDArray like, float beta1, float beta2) {
    if (constants == null) {
      constants = new Constants(fill(stateManager, like, beta1), fill(stateManager, like, beta2),
          fill(stateManager, like, 1 - beta1), fill(stateManager, like, 1 - beta2),
          fill(stateManager, like, EPSILON), fill(stateManager, like, 0), fill(stateManager, like, 1),
          fill(stateManager, like, 1e-6));
    }
    return constants;
  }

  /** A 0-dim array of {@code value} made on {@code like}'s device by a fill (no host copy). */
  private static NDArray fill(NDManager manager, NDArray like, double value) {
    return manager.full(new Shape(), (float) value, like.getDataType(), like.getDevice());
  }

  /** Writes the step count and both moments. */
  public void save(DataOutputStream out) throws IOException {
    out.writeLong(updates);
    out.writeInt(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      out.writeUTF(parameters.get(i).getName());
      try (NDArray m = slice(mean, i); NDArray v = slice(variance, i)) {
        writeArray(out, m);
        writeArray(out, v);
      }
    }
  }

  /** Reads what {@link #save} wrote, onto the parameters' devices. */
  public void load(DataInputStream in) throws IOException {
    updates = in.readLong();
    int n = in.readInt();
    if (n != parameters.size()) {
      throw new IOException("optimiser state has " + n + " parameters, the model has " + parameters.size());
    }
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      if (!name.equals(parameters.get(i).getName())) {
        throw new IOException("optimiser state for '" + name + "' where the model has '"
            + parameters.get(i).getName() + "'");
      }
      NDIndex range = new NDIndex("{}:{}", offsets[i], offsets[i + 1]);
      for (NDArray state : new NDArray[] {mean, variance}) {
        try (NDArray saved = readArray(in)) {
          if (saved.size() != offsets[i + 1] - offsets[i]) {
            throw new IOException("optimiser state for '" + name + "' has " + saved.size()
                + " values, the parameter " + (offsets[i + 1] - offsets[i]));
          }
          state.set(range, saved.toDevice(state.getDevice(), false).reshape(-1));
        }
      }
    }
  }

  private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    byte[] bytes = a.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private NDArray readArray(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return NDArray.decode(stateManager, bytes);
  }

  @Override
  public void close() {
    stateManager.close();
  }

  /** The moments, for tests. */
  NDList state() {
    NDList list = new NDList();
    for (NDArray state : new NDArray[] {mean, variance}) {
      for (int i = 0; i < parameters.size(); i++) {
        list.add(slice(state, i));
      }
    }
    return list;
  }
}
