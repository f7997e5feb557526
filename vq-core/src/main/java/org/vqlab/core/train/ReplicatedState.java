package org.vqlab.core.train;

import ai.djl.training.ParameterStore;

/**
 * What a block needs to implement when its training forward changes its own state from the batch
 * (codebook statistics, step counters, data-dependent initialisation) rather than only through
 * gradients: the data-parallel trainer ({@link DataParallel}) splits a batch across replicas, and
 * this state must be computed from all of them, once per step, on the master parameters.
 *
 * <p>Between {@link #beginReplicaStep} and {@link #finishReplicaStep} the block's training forwards
 * (one per replica, each with that replica's {@link ParameterStore}) only record what they saw; the
 * finish applies it as one forward over the whole batch would have. A block without such state (a
 * plain layer, a prior) needs nothing: its gradients are summed by the trainer.
 */
public interface ReplicatedState {

  /**
   * True when the next step must see the whole batch in one forward on the master device (e.g.
   * k-means initialisation of a codebook from the first batch); the trainer then runs that step
   * undivided.
   */
  default boolean needsWholeBatch() {
    return false;
  }

  /** From now on training forwards record their batch statistics instead of applying them. */
  void beginReplicaStep();

  /** Applies what every replica recorded since {@link #beginReplicaStep}, in replica order. */
  void finishReplicaStep(ParameterStore master);
}
