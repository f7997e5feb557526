package org.vqlab.models.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.train.AdamOptimizer;
import org.vqlab.core.train.TrainerConfig;

/** Test support: the project's Adam over a block's parameters at a fixed learning rate. */
public final class AdamSteps implements AutoCloseable {
  private final NDManager manager;
  private final AdamOptimizer adam;
  private long step;

  public AdamSteps(Block block, NDManager manager, float learningRate) {
    this.manager = manager;
    List<Parameter> all = new ArrayList<>();
    block.getParameters().forEach(p -> all.add(p.getValue()));
    TrainerConfig config = new TrainerConfig("cpu", 1, 0, 1, learningRate, List.of(0.9, 0.999), 0, 0,
        TrainerConfig.Schedule.CONSTANT, 0, 0, 1, 1, 0, 1, 1);
    adam = new AdamOptimizer(all, config, manager);
  }

  /** The parameters Adam updates: only those that require gradient. */
  public List<Parameter> parameters() {
    return adam.parameters();
  }

  /** Applies the gradients of the last backward pass, then clears them. */
  public void step() {
    try (NDManager scope = manager.newSubManager()) {
      adam.step(++step, scope);
    }
  }

  @Override
  public void close() {
    adam.close();
  }
}
