package org.vqlab.core.launch;

/** How a job ended: exit code and, for a failure, the last lines of its error output. */
public record JobResult(Job job, int exitCode, String error, long millis) {
  public boolean succeeded() {
    return exitCode == 0;
  }
}
