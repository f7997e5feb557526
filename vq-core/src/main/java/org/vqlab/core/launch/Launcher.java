package org.vqlab.core.launch;

import java.util.List;

/** Runs the jobs of a sweep; a failing job never stops the others. */
public interface Launcher {
  List<JobResult> launch(List<Job> jobs) throws InterruptedException;
}
