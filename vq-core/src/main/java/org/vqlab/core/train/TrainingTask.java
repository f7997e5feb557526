package org.vqlab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * What the {@link Trainer} trains: a block and the loss of one batch. The autoencoder and prior
 * stages each implement it; everything else (optimiser, schedule, checkpoints, evaluation,
 * tracking) is shared.
 *
 * @param <B> the batch type of its {@link BatchSource}
 */
public interface TrainingTask<B extends Batch> {

  /** The trained block, initialised; its parameters that require gradient are optimised. */
  Block block();

  /** Forward pass on a batch: the loss to minimise and named scalars (on device) for logging. */
  StepOutput forward(ParameterStore parameters, B batch, boolean training);

  /** Called once per evaluation pass before the first batch, e.g. to reset usage accumulators. */
  default void startEvaluation() {}

  /** Called after each evaluation batch with its output (no gradient is recorded). */
  default void observeEvaluation(ParameterStore parameters, B batch, StepOutput output) {}

  /** Metrics over the whole evaluation pass besides the averaged scalars (codes used, ...). */
  default Map<String, Double> finishEvaluation() {
    return Map.of();
  }

  /** The loss and the scalars of one step; every array lives in the step's manager. */
  record StepOutput(NDArray loss, Map<String, NDArray> scalars) {}
}
