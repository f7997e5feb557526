package org.vqlab.core.train;

import ai.djl.ndarray.NDArray;
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
  private final List<NDArray> means = new ArrayList<>();
  private final List<NDArray> variances = new ArrayList<>();
  private long updates;

  public AdamOptimizer(List<Parameter> parameters, TrainerConfig config, NDManager manager) {
    this.parameters = parameters.stream().filter(Parameter::requiresGradient).toList();
    this.config = config;
    this.stateManager = manager.newSubManager();
    for (Parameter p : this.parameters) {
      NDArray w = p.getArray();
      means.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
      variances.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
    }
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
    updates++;
    double lr = learningRate(config, step);
    float beta1 = config.betas().get(0).floatValue();
    float beta2 = config.betas().get(1).floatValue();
    double correction1 = 1 - Math.pow(beta1, updates);
    double correction2 = 1 - Math.pow(beta2, updates);
    List<NDArray> grads = new ArrayList<>(parameters.size());
    NDArray sumSquares = null;
    for (Parameter p : parameters) {
      NDArray g = p.getArray().getGradient();
      g.attach(scratch);
      grads.add(g);
      NDArray s = g.square().sum();
      sumSquares = sumSquares == null ? s : sumSquares.add(s);
    }
    NDArray norm = sumSquares == null ? scratch.zeros(new ai.djl.ndarray.types.Shape()) : sumSquares.sqrt();
    NDArray scale = null;
    if (config.gradClip() > 0 && sumSquares != null) {
      // min(1, clip / norm), computed on device.
      scale = norm.add(1e-6).pow(-1).mul(config.gradClip()).minimum(1f);
    }
    for (int i = 0; i < parameters.size(); i++) {
      NDArray w = parameters.get(i).getArray();
      NDArray g = scale == null ? grads.get(i) : grads.get(i).mul(scale);
      NDArray m = means.get(i);
      NDArray v = variances.get(i);
      // Results of ops on long-lived arrays belong to those arrays' managers: every temporary
      // is attached to the step's scope so that nothing outlives the step.
      NDArray gm = g.mul(1 - beta1);
      NDArray g2 = g.square();
      scratch.attachAll(gm, g2);
      m.muli(beta1).addi(gm);
      v.muli(beta2).addi(g2.muli(1 - beta2));
      NDArray vHat = v.div(correction2);
      scratch.attachAll(vHat);
      NDArray denominator = vHat.sqrt().addi(EPSILON);
      NDArray mHat = m.div(denominator);
      scratch.attachAll(denominator, mHat);
      NDArray update = mHat.muli(lr / correction1);
      if (config.weightDecay() > 0) {
        NDArray decay = w.mul(lr * config.weightDecay());
        scratch.attachAll(decay);
        update.addi(decay);
      }
      w.subi(update);
      grads.get(i).subi(grads.get(i));
    }
    return norm;
  }

  /** Writes the step count and both moments. */
  public void save(DataOutputStream out) throws IOException {
    out.writeLong(updates);
    out.writeInt(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      out.writeUTF(parameters.get(i).getName());
      writeArray(out, means.get(i));
      writeArray(out, variances.get(i));
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
      means.get(i).set(readArray(in).toDevice(means.get(i).getDevice(), false).toFloatArray());
      variances.get(i).set(readArray(in).toDevice(variances.get(i).getDevice(), false).toFloatArray());
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
    list.addAll(means);
    list.addAll(variances);
    return list;
  }
}
