package org.vqlab.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One replica's view of the parameters in a data-parallel step: a copy of each master parameter on
 * the replica's device, made when the replica's forward first asks for it, with its own gradient.
 * The copies live in the replica's manager (the step's scope), so every step starts from the master
 * parameters the optimiser just updated.
 */
final class ReplicaParameterStore extends ParameterStore {
  private final NDManager manager;
  private final Device device;
  private final Map<String, NDArray> copies = new LinkedHashMap<>();
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();

  ReplicaParameterStore(NDManager manager, Device device) {
    super(manager, false);
    this.manager = manager;
    this.device = device;
  }

  @Override
  public NDArray getValue(Parameter parameter, Device requested, boolean training) {
    if (parameter == null) {
      return null;
    }
    return copies.computeIfAbsent(parameter.getId(), id -> {
      parameters.put(id, parameter);
      try (NDArray detached = parameter.getArray().stopGradient()) {
        NDArray copy = detached.toDevice(device, true);
        copy.attach(manager);
        if (parameter.requiresGradient() && training) {
          copy.setRequiresGradient(true);
        }
        return copy;
      }
    });
  }

  /** Adds this replica's gradients to the master parameters' gradient arrays. */
  void addGradientsToMaster() {
    for (Map.Entry<String, NDArray> e : copies.entrySet()) {
      NDArray copy = e.getValue();
      if (!copy.hasGradient()) {
        continue;
      }
      try (NDArray master = parameters.get(e.getKey()).getArray().getGradient();
          NDArray g = copy.getGradient()) {
        NDArray moved = g.toDevice(master.getDevice(), false);
        master.addi(moved);
        if (moved != g) {
          moved.close();
        }
      }
    }
  }
}
