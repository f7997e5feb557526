package org.vqlab.models.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.vqlab.models.TrainableParameters;

/** Test support: Adam over a block's trainable parameters, zeroing gradients after each update. */
public final class AdamSteps {
  private final Optimizer adam;
  private final List<Parameter> parameters;

  public AdamSteps(Block block, float learningRate) {
    adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    parameters = TrainableParameters.of(block);
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  /** Applies the gradients accumulated by the last backward pass, then clears them. */
  public void step() {
    for (Parameter p : parameters) {
      NDArray w = p.getArray();
      try (NDArray g = w.getGradient()) {
        adam.update(p.getId(), w, g);
        g.subi(g);
      }
    }
  }
}
