package org.vqlab.core.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything that happens around the training loop (logging, tracking, progress, figures) is a
 * listener; the loop itself stays small. Metrics are named {@code train/...} and {@code eval/...}.
 */
public interface TrainingListener {
  default void onStart(Trainer<?> trainer, long firstStep) {}

  /** Every {@code log_every} steps (and the first): losses, learning rate, gradient norm, step time. */
  default void onStep(Trainer<?> trainer, long step, Map<String, Double> metrics) {}

  /**
   * After every step, cheaply, for progress display. It gets no loss: reading it would make every
   * step wait for the device; the loss is in {@link #onStep} every {@code log_every} steps.
   */
  default void onStepDone(Trainer<?> trainer, long step) {}

  /** Every {@code eval_every} steps and at the end. */
  default void onEvaluation(Trainer<?> trainer, long step, Map<String, Double> metrics) {}

  default void onCheckpoint(Trainer<?> trainer, long step, Path file) {}

  /** At the end, whether training completed or stopped on a non-finite loss. */
  default void onEnd(Trainer<?> trainer, Trainer.Result result) {}
}
