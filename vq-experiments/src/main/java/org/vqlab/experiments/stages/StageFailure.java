package org.vqlab.experiments.stages;

/**
 * A stage that could not finish for a reason the user must act on (a non-finite loss, a missing
 * part of a run). The command prints the message without a stack trace and exits 1.
 */
public final class StageFailure extends RuntimeException {
  public StageFailure(String message) {
    super(message);
  }

  /** A failure whose cause was recorded, with its stack trace, in the run's log.txt. */
  public StageFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
