package org.vqlab.core.launch;

import java.util.List;

/**
 * Runs the jobs of a sweep; a failing job never stops the others. Each job is one {@code vq}
 * invocation ({@link Job#arguments()}) that must see every variable of {@link Job#environment()}:
 * that is how a job gets the launch's plugin path and config directories, on this machine or on a
 * cluster node.
 */
public interface Launcher {
  List<JobResult> launch(List<Job> jobs) throws InterruptedException;
}
