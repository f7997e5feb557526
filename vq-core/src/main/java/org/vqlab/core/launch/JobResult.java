package org.vqlab.core.launch;

/**
 * How a job ended: exit code and, for a failure, the last lines of its error output. A scheduler
 * launcher also gives the scheduler's id of the job and its state there (e.g. Slurm's
 * {@code COMPLETED}, {@code TIMEOUT}); {@code finished} is false for a job still queued or running
 * when the launcher returned (a sweep submitted without waiting).
 */
public record JobResult(Job job, int exitCode, String error, long millis, String schedulerJobId,
    String state, boolean finished) {

  /** A job that ran to its end on this machine. */
  public JobResult(Job job, int exitCode, String error, long millis) {
    this(job, exitCode, error, millis, "", "", true);
  }

  public boolean succeeded() {
    return finished && exitCode == 0;
  }
}
