package org.vqlab.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vqlab.experiments.multirun.Multirun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vq sweep-status <dir>}: the summary of a sweep submitted to Slurm, as it stands now. */
@Command(name = "sweep-status", description = "Write and print the summary of a sweep submitted to Slurm"
    + " (exit 0: all succeeded, 1: a job failed, 3: jobs still queued or running).")
public final class SweepStatusCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SWEEP_DIR", description = "multirun/<timestamp> of the sweep")
  Path sweepDir;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    java.io.PrintWriter out = spec.commandLine().getOut();
    int code = Multirun.status(sweepDir, out);
    out.flush();
    return code;
  }
}
