package org.vqlab.experiments.stages;

/**
 * A stage that could not finish for a reason the user must act on (a non-finite loss, a missing
 * part of a run). The command prints the message without a stack trace and exits 1.
 */
public final class StageFailure extends RuntimeException {
  public StageFailure(String message) {
    super(message);
  }

  /** The same, keeping the exception that caused it for the run's log. */
  public StageFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
