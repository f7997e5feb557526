package org.vqlab.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The training loop shared by every stage: per step a fresh {@link NDManager} scope, forward and
 * backward under a {@link GradientCollector}, one {@link AdamOptimizer} update, and nothing else;
 * logging, tracking, figures and progress are {@link TrainingListener}s.
 *
 * <p>Reproducibility: the batch of step s is a pure function of (seed, s) and PyTorch's generator
 * is reseeded with (seed, s) before each step, so resuming from a checkpoint at step N gives the
 * same parameters as never stopping.
 */
public final class Trainer<B extends Batch> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrainerConfig config;
  private final TrainingTask<B> task;
  private final BatchSource<B> train;
  private final LongFunction<long[]> batchIndices;
  private final BatchSource<B> test;
  private final NDManager manager;
  private final Engine engine;
  private final long seed;
  private final Checkpoints checkpoints;
  private final Map<String, Object> provenance;
  private final List<TrainingListener> listeners;
  private ParameterStore parameterStore;
  private final AdamOptimizer optimizer;
  private final DataParallel dataParallel;
  private long step;
  private double bestEvalLoss = Double.POSITIVE_INFINITY;
  private Map<String, Double> lastEval = Map.of();
  private volatile boolean stopRequested;

  /** How training ended. */
  public record Result(long step, boolean completed, String stopReason, Map<String, Double> lastEval) {}

  /** A loss that is NaN or infinite; training stops and keeps its last good checkpoint. */
  public static final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String message) {
      super(message);
    }
  }

  public Trainer(TrainerConfig config, TrainingTask<B> task, BatchSource<B> train,
      LongFunction<long[]> batchIndices, BatchSource<B> test, NDManager manager, Engine engine, long seed,
      Checkpoints checkpoints, Map<String, Object> provenance, List<TrainingListener> listeners) {
    this.config = config;
    this.task = task;
    this.train = train;
    this.batchIndices = batchIndices;
    this.test = test;
    this.manager = manager;
    this.engine = engine;
    this.seed = seed;
    this.checkpoints = checkpoints;
    this.provenance = provenance;
    this.listeners = List.copyOf(listeners);
    this.parameterStore = new ParameterStore(manager, false);
    List<Parameter> params = new ArrayList<>();
    task.block().getParameters().forEach(pair -> params.add(pair.getValue()));
    this.optimizer = new AdamOptimizer(params, config, manager);
    List<ai.djl.Device> devices = org.vqlab.core.engine.DeviceSpec.resolveAll(config.devices(), engine);
    if (devices.size() > 1) {
      if (!devices.get(0).equals(manager.getDevice())) {
        throw new org.vqlab.core.config.ConfigError("trainer.devices " + config.devices() + " starts with "
            + devices.get(0) + " but the parameters are on trainer.device's " + manager.getDevice()
            + "; list trainer.device's device first");
      }
      this.dataParallel = new DataParallel(devices, task.block());
    } else {
      this.dataParallel = null;
    }
  }

  /** The replicas of a data-parallel run ({@code trainer.devices}), or null for one device. */
  public DataParallel dataParallel() {
    return dataParallel;
  }

  public TrainerConfig config() {
    return config;
  }

  public TrainingTask<B> task() {
    return task;
  }

  public ParameterStore parameterStore() {
    return parameterStore;
  }

  public NDManager manager() {
    return manager;
  }

  public AdamOptimizer optimizer() {
    return optimizer;
  }

  public long step() {
    return step;
  }

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  /** Asks the loop to stop after the current step (e.g. on Ctrl-C); the result says so. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Restores parameters, optimiser state, step and best loss from a checkpoint. */
  public void restore(Path checkpoint) throws IOException {
    Checkpoints.Header h = Checkpoints.load(checkpoint, task.block(), optimizer, manager);
    // A ParameterStore caches the arrays it handed out; loading replaced them.
    parameterStore = new ParameterStore(manager, false);
    step = h.step();
    JsonNode header = JSON.readTree(h.json());
    if (header.has("best_eval_loss") && header.get("best_eval_loss").isNumber()) {
      bestEvalLoss = header.get("best_eval_loss").asDouble();
    }
  }

  /**
   * Restores from the newest intact checkpoint in the stage's directory (best.ckpt included), if
   * any; the scan names the corrupt files passed over, for the stage to report.
   */
  public Checkpoints.Scan restoreLatest() throws IOException {
    Checkpoints.Scan scan = checkpoints.scan();
    if (scan.newest().isPresent()) {
      restore(scan.newest().get());
    }
    return scan;
  }

  /** Trains from the current step to {@code max_steps}. */
  public Result fit() throws IOException {
    listeners.forEach(l -> l.onStart(this, step + 1));
    long windowStart = System.nanoTime();
    long windowSteps = 0;
    Result result;
    try {
      while (step < config.maxSteps() && !stopRequested) {
        long s = step + 1;
        engine.setRandomSeed((int) (seed * 1_000_003L + s));
        try (NDManager scope = manager.newSubManager()) {
          TrainingTask.StepOutput out;
          if (dataParallel != null) {
            out = dataParallel.step(task, train, scope, batchIndices.apply(s), parameterStore, engine);
          } else {
            try (B batch = train.batch(scope, batchIndices.apply(s));
                GradientCollector collector = engine.newGradientCollector()) {
              out = task.forward(parameterStore, batch, true);
              collector.backward(out.loss());
            }
          }
          double loss = out.loss().getFloat();
          if (!Double.isFinite(loss)) {
            zeroGradients(scope);
            throw new NonFiniteLossException("loss is " + loss + " at step " + s
                + "; parameters are those of step " + step + " (no update was made)");
          }
          NDArray gradNorm = optimizer.step(s, scope);
          step = s;
          windowSteps++;
          for (TrainingListener l : listeners) {
            l.onStepDone(this, step, loss);
          }
          if (step == 1 || step % config.logEvery() == 0 || step == config.maxSteps()) {
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            Map<String, Double> m = new LinkedHashMap<>();
            toHost(out.scalars()).forEach((k, v) -> m.put("train/" + k, v));
            m.put("train/loss", loss);
            m.put("train/grad_norm", (double) gradNorm.getFloat());
            m.put("train/learning_rate", AdamOptimizer.learningRate(config, step));
            m.put("train/seconds_per_step", seconds / windowSteps);
            listeners.forEach(l -> l.onStep(this, step, m));
            windowStart = System.nanoTime();
            windowSteps = 0;
          }
        }
        boolean evalNow = step % config.evalEvery() == 0 || step == config.maxSteps();
        boolean improved = false;
        if (evalNow) {
          lastEval = evaluate();
          double evalLoss = lastEval.getOrDefault("eval/loss", Double.NaN);
          if (evalLoss < bestEvalLoss) {
            bestEvalLoss = evalLoss;
            improved = true;
          }
          listeners.forEach(l -> l.onEvaluation(this, step, lastEval));
        }
        if (step % config.checkpointEvery() == 0 || step == config.maxSteps() || improved) {
          saveCheckpoint(improved);
        }
      }
      result = stopRequested && step < config.maxSteps()
          ? new Result(step, false, "stopped on request at step " + step, lastEval)
          : new Result(step, true, "", lastEval);
    } catch (NonFiniteLossException e) {
      result = new Result(step, false, e.getMessage(), lastEval);
    }
    Result r = result;
    listeners.forEach(l -> l.onEnd(this, r));
    return result;
  }

  private void saveCheckpoint(boolean best) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>(provenance);
    header.put("step", step);
    header.put("best_eval_loss", Double.isFinite(bestEvalLoss) ? bestEvalLoss : null);
    header.put("seed", seed);
    Path file = checkpoints.save(step, JSON.writeValueAsString(header), task.block(), optimizer, best);
    listeners.forEach(l -> l.onCheckpoint(this, step, file));
  }

  /** Averages the task's scalars over the test split (or eval_batches of it), in order. */
  public Map<String, Double> evaluate() {
    task.startEvaluation();
    Map<String, Double> sums = new TreeMap<>();
    double lossSum = 0;
    long items = 0;
    int batchSize = config.batchSize();
    long batches = (test.size() + batchSize - 1) / batchSize;
    if (config.evalBatches() > 0) {
      batches = Math.min(batches, config.evalBatches());
    }
    for (long b = 0; b < batches; b++) {
      long from = b * batchSize;
      int n = (int) Math.min(batchSize, test.size() - from);
      long[] idx = new long[n];
      for (int i = 0; i < n; i++) {
        idx[i] = from + i;
      }
      try (NDManager scope = manager.newSubManager(); B batch = test.batch(scope, idx)) {
        TrainingTask.StepOutput out = task.forward(parameterStore, batch, false);
        lossSum += out.loss().getFloat() * n;
        int count = n;
        toHost(out.scalars()).forEach((k, v) -> sums.merge(k, v * count, Double::sum));
        task.observeEvaluation(parameterStore, batch, out);
      }
      items += n;
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("eval/loss", lossSum / items);
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      metrics.put("eval/" + e.getKey(), e.getValue() / items);
    }
    task.finishEvaluation().forEach((k, v) -> metrics.put("eval/" + k, v));
    return metrics;
  }

  /** Named scalars of any type, read back in one transfer (one device sync on a GPU). */
  static Map<String, Double> toHost(Map<String, NDArray> scalars) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (scalars.isEmpty()) {
      return out;
    }
    NDList parts = new NDList();
    for (NDArray a : scalars.values()) {
      parts.add(a.toType(DataType.FLOAT32, false).reshape(1));
    }
    float[] values = NDArrays.concat(parts).toFloatArray();
    int i = 0;
    for (String name : scalars.keySet()) {
      out.put(name, (double) values[i++]);
    }
    return out;
  }

  private void zeroGradients(NDManager scope) {
    for (Parameter p : optimizer.parameters()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      g.subi(g);
    }
  }
}
