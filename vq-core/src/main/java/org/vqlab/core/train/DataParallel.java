package org.vqlab.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.nn.ScalarOps;

/**
 * Data-parallel training steps over several devices of one machine ({@code trainer.devices}). The
 * batch's indices are split into contiguous shards, one per replica; replica 0 computes on the
 * master parameters (on the first device), replica r on a fresh copy on device r
 * ({@link ReplicaParameterStore}). Each replica's loss is weighted by its share of the batch, so
 * that the gradients summed into the master parameters' gradient arrays are those of the whole
 * batch's mean loss; the optimiser then runs unchanged. Batch-dependent state (EMA statistics,
 * counters, restarts) is recorded per replica and applied once from all of them
 * ({@link ReplicatedState}); a step whose state needs the whole batch at once (k-means
 * initialisation on the first batch) runs undivided on the master device.
 *
 * <p>Replicas run one after another from the training thread (DJL's PyTorch engine allows one
 * gradient collector at a time): on GPUs their kernels still overlap through CUDA's asynchronous
 * launches, on one CPU the devices may even be the same one (e.g. {@code [cpu, cpu]}), which is how
 * the equivalence with one device is tested.
 */
public final class DataParallel {
  private final List<Device> devices;
  private final List<ReplicatedState> states;

  public DataParallel(List<Device> devices, Block block) {
    if (devices.size() < 2) {
      throw new IllegalArgumentException("data parallelism needs 2 or more devices, got " + devices);
    }
    this.devices = List.copyOf(devices);
    this.states = new ArrayList<>();
    collect(block, states);
  }

  public List<Device> devices() {
    return devices;
  }

  private static void collect(Block block, List<ReplicatedState> into) {
    if (block instanceof ReplicatedState s) {
      into.add(s);
    }
    block.getChildren().values().forEach(child -> collect(child, into));
  }

  /**
   * Forward and backward of one training step over the replicas; on return the master parameters'
   * gradient arrays hold the whole batch's gradient. The loss and scalars are the shard-weighted
   * sums (the batch mean for a loss that is a mean over items), on the master device.
   */
  <B extends Batch> TrainingTask.StepOutput step(TrainingTask<B> task, BatchSource<B> source,
      NDManager scope, long[] indices, ParameterStore master, Engine engine) {
    if (states.stream().anyMatch(ReplicatedState::needsWholeBatch)) {
      try (B batch = source.batch(scope, indices); GradientCollector collector = engine.newGradientCollector()) {
        TrainingTask.StepOutput out = task.forward(master, batch, true);
        collector.backward(out.loss());
        return out;
      }
    }
    int replicas = Math.min(devices.size(), indices.length);
    Device masterDevice = devices.get(0);
    states.forEach(ReplicatedState::beginReplicaStep);
    NDArray loss = null;
    Map<String, NDArray> scalars = new LinkedHashMap<>();
    try (GradientCollector collector = engine.newGradientCollector()) {
      for (int r = 0; r < replicas; r++) {
        int from = (int) ((long) indices.length * r / replicas);
        int to = (int) ((long) indices.length * (r + 1) / replicas);
        double weight = (to - from) / (double) indices.length;
        // Replica arrays stay alive until the step's scope closes: the states' records point at them.
        NDManager replicaScope = scope.newSubManager(devices.get(r));
        ReplicaParameterStore copies = r == 0 ? null : new ReplicaParameterStore(replicaScope, devices.get(r));
        B batch = source.batch(replicaScope, Arrays.copyOfRange(indices, from, to));
        TrainingTask.StepOutput out = task.forward(r == 0 ? master : copies, batch, true);
        NDArray weighted = ScalarOps.mul(out.loss(), weight);
        collector.backward(weighted);
        if (copies != null) {
          copies.addGradientsToMaster();
        }
        loss = accumulate(loss, weighted.stopGradient(), masterDevice, scope);
        for (Map.Entry<String, NDArray> e : out.scalars().entrySet()) {
          NDArray w = ScalarOps.mul(e.getValue().stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT32, false), weight);
          scalars.put(e.getKey(), accumulate(scalars.get(e.getKey()), w, masterDevice, scope));
        }
      }
    }
    states.forEach(s -> s.finishReplicaStep(master));
    return new TrainingTask.StepOutput(loss, scalars);
  }

  private static NDArray accumulate(NDArray sum, NDArray part, Device device, NDManager scope) {
    NDArray moved = part.toDevice(device, false);
    moved.attach(scope);
    if (sum == null) {
      return moved;
    }
    NDArray total = sum.add(moved);
    total.attach(scope);
    return total;
  }
}
