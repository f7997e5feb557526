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
    private final long lastGoodStep;

    public NonFiniteLossException(String message, long lastGoodStep) {
      super(message);
      this.lastGoodStep = lastGoodStep;
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

  /**
   * Trains from the current step to {@code max_steps}. A step that logs nothing, evaluates nothing
   * and saves nothing never reads from the device: the non-finite-loss guard runs on the device
   * ({@link LossGuard}: the update is skipped from the first bad step on) and is read at the next
   * log, evaluation or checkpoint step, which then stops naming the first bad step.
   */
  public Result fit() throws IOException {
    listeners.forEach(l -> l.onStart(this, step + 1));
    long windowStart = System.nanoTime();
    long windowSteps = 0;
    Result result;
    try (LossGuard guard = new LossGuard(manager, step)) {
      while (step < config.maxSteps() && !stopRequested) {
        long s = step + 1;
        engine.setRandomSeed((int) (seed * 1_000_003L + s));
        boolean logNow = s == 1 || s % config.logEvery() == 0 || s == config.maxSteps();
        boolean evalNow = s % config.evalEvery() == 0 || s == config.maxSteps();
        boolean checkNow = logNow || evalNow || s % config.checkpointEvery() == 0;
        Map<String, Double> read = Map.of();
        List<String> scalarNames;
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
          scalarNames = List.copyOf(out.scalars().keySet());
          NDArray healthy = guard.observe(out.loss(), scope);
          NDArray gradNorm = optimizer.step(s, scope, healthy, logNow);
          if (checkNow) {
            Map<String, NDArray> wanted = new LinkedHashMap<>(guard.state());
            if (logNow) {
              wanted.put("train/loss", out.loss());
              wanted.put("train/grad_norm", gradNorm);
              out.scalars().forEach((k, v) -> wanted.put("train/" + k, v));
            }
            read = toHost(wanted, manager);
            guard.check(read, s);
          }
        }
        // Listeners run after the step's scope is closed: what they see is what outlives the step.
        step = s;
        windowSteps++;
        for (TrainingListener l : listeners) {
          l.onStepDone(this, step);
        }
        if (logNow) {
          double seconds = (System.nanoTime() - windowStart) / 1e9;
          Map<String, Double> m = new LinkedHashMap<>();
          scalarNames.forEach(k -> m.put("train/" + k, null));
          read.forEach((k, v) -> {
            if (k.startsWith("train/")) {
              m.put(k, v);
            }
          });
          m.put("train/learning_rate", AdamOptimizer.learningRate(config, step));
          m.put("train/seconds_per_step", seconds / windowSteps);
          listeners.forEach(l -> l.onStep(this, step, m));
          windowStart = System.nanoTime();
          windowSteps = 0;
        }
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
      if (stopRequested && step < config.maxSteps()) {
        // A stop between checks: the steps since the last one must have been good.
        guard.check(toHost(guard.state(), manager), step);
        result = new Result(step, false, "stopped on request at step " + step, lastEval);
      } else {
        result = new Result(step, true, "", lastEval);
      }
    } catch (NonFiniteLossException e) {
      step = e.lastGoodStep;
      result = new Result(step, false, e.getMessage(), lastEval);
    }
    Result r = result;
    listeners.forEach(l -> l.onEnd(this, r));
    return result;
  }

  /**
   * The non-finite-loss guard on the device: {@code healthy} stays true until a step's loss is NaN
   * or infinite and false from then on, and {@code good} counts the healthy steps, so that one read
   * at the next check names the first bad step. The optimiser moves nothing while it is false.
   */
  private static final class LossGuard implements AutoCloseable {
    private final NDManager state;
    private NDArray healthy;
    private NDArray good;
    private NDArray firstBadLoss;
    private long checkedStep;

    LossGuard(NDManager manager, long step) {
      state = manager.newSubManager();
      healthy = state.full(new ai.djl.ndarray.types.Shape(), 1f, DataType.BOOLEAN, manager.getDevice());
      good = state.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT32, manager.getDevice());
      firstBadLoss = good.duplicate();
      checkedStep = step;
    }

    /** Folds this step's loss into the guard; returns whether the update may be applied. */
    NDArray observe(NDArray loss, NDManager scope) {
      NDArray value = loss.stopGradient().toType(DataType.FLOAT32, false);
      // x - x is 0 exactly when x is finite (inf - inf and NaN - NaN are NaN).
      NDArray difference = value.sub(value);
      NDArray zero = difference.zerosLike();
      NDArray finite = difference.eq(zero);
      NDArray next = healthy.logicalAnd(finite);
      // The first bad loss, for the message: kept where this step turned the guard false.
      NDArray firstBad = healthy.logicalXor(next);
      NDArray keptLoss = NDArrays.where(firstBad, value, firstBadLoss);
      NDArray nextCount = next.toType(DataType.FLOAT32, false);
      NDArray counted = good.add(nextCount);
      scope.attachAll(value, difference, zero, finite, firstBad, nextCount);
      state.attachAll(next, keptLoss, counted);
      healthy.close();
      firstBadLoss.close();
      good.close();
      healthy = next;
      firstBadLoss = keptLoss;
      good = counted;
      return healthy;
    }

    Map<String, NDArray> state() {
      Map<String, NDArray> m = new LinkedHashMap<>();
      m.put("guard/healthy", healthy);
      m.put("guard/good", good);
      m.put("guard/first_bad_loss", firstBadLoss);
      return m;
    }

    /** Stops, naming the first bad step, if any step since the last check had a non-finite loss. */
    void check(Map<String, Double> read, long step) {
      if (read.get("guard/healthy") < 0.5) {
        long lastGood = checkedStep + Math.round(read.get("guard/good"));
        throw new NonFiniteLossException("loss is " + read.get("guard/first_bad_loss").floatValue()
            + " at step " + (lastGood + 1) + "; parameters are those of step " + lastGood
            + " (no update was made)", lastGood);
      }
      checkedStep = step;
      good.close();
      good = state.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT32, healthy.getDevice());
    }

    @Override
    public void close() {
      state.close();
    }
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
        Map<String, NDArray> wanted = new LinkedHashMap<>();
        wanted.put("loss", out.loss());
        out.scalars().forEach((k, v) -> wanted.put("scalar/" + k, v));
        Map<String, Double> read = toHost(wanted, manager);
        lossSum += read.get("loss") * n;
        int count = n;
        read.forEach((k, v) -> {
          if (k.startsWith("scalar/")) {
            sums.merge(k.substring("scalar/".length()), v * count, Double::sum);
          }
        });
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

  /**
   * Named scalars of any type, read back in one transfer (one device sync on a GPU). The
   * conversions and the concatenation are made in a scope closed here: made from long-lived arrays
   * (the loss guard's state), they would otherwise belong to those arrays' managers and outlive the
   * read.
   */
  static Map<String, Double> toHost(Map<String, NDArray> scalars, NDManager manager) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (scalars.isEmpty()) {
      return out;
    }
    try (NDManager scope = manager.newSubManager()) {
      NDList parts = new NDList();
      for (NDArray a : scalars.values()) {
        NDArray converted = a.toType(DataType.FLOAT32, true);
        NDArray flat = converted.reshape(1);
        scope.attachAll(converted, flat);
        parts.add(flat);
      }
      NDArray all = NDArrays.concat(parts);
      all.attach(scope);
      float[] values = HostReads.floats(all);
      int i = 0;
      for (String name : scalars.keySet()) {
        out.put(name, (double) values[i++]);
      }
    }
    return out;
  }

}
