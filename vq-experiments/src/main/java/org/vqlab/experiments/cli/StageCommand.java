package org.vqlab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.experiments.Vq;
import org.vqlab.experiments.multirun.Multirun;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.stages.StageFailure;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command that runs stages in a run directory. With {@code -m} it becomes a sweep whose jobs run
 * this same command. Configuration errors exit 2 before the run directory is created.
 */
public abstract class StageCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-m", "--multirun"}, description = "Sweep: key=a,b,c arguments form a cartesian product of jobs.")
  boolean multirun;

  @Option(names = "--run-dir", hidden = true, description = "Run in this directory (used by multirun jobs).")
  Path runDir;

  @Parameters(arity = "0..*", paramLabel = "OVERRIDE", description = "group=option, a.b=value, +a.b=value, ~a.b, experiment=name")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--multirun-dir", description = "Where sweeps are created (default: ./multirun).")
  Path multirunDir;

  private Path multirunRoot() {
    return multirunDir != null ? multirunDir : Multirun.defaultRoot();
  }

  /** The run directory given by {@code run=<dir>} or {@code resume=<dir>}, or null. */
  protected Path existingRun;

  /** True for {@code resume=<dir>}: continue training from the last checkpoint. */
  protected boolean resume;

  /** Runs this command's stages inside the launch. */
  protected abstract void runStages(Launch launch) throws Exception;

  /**
   * Short argument names of this command and the config keys they stand for, e.g. {@code n} for
   * {@code sample.n}: {@code n=16} on the command line is read as {@code sample.n=16}.
   */
  protected Map<String, String> shortKeys() {
    return Map.of();
  }

  /** The arguments with every {@code short=value} rewritten to {@code full.key=value}. */
  List<String> expandShortKeys(List<String> args) {
    Map<String, String> keys = shortKeys();
    List<String> out = new ArrayList<>(args.size());
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String key = eq > 0 ? arg.substring(0, eq) : null;
      out.add(key != null && keys.containsKey(key) ? keys.get(key) + arg.substring(eq) : arg);
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    String name = spec.name();
    overrides = expandShortKeys(overrides);
    if (multirun) {
      java.io.PrintWriter out = spec.commandLine().getOut();
      int code = Multirun.run(name, overrides, multirunRoot(), out);
      out.flush();
      return code;
    }
    List<String> commandLine = new ArrayList<>();
    commandLine.add("vq");
    commandLine.add(name);
    commandLine.addAll(overrides);
    List<String> configArgs = new ArrayList<>();
    for (String arg : overrides) {
      if (arg.startsWith("run=") || arg.startsWith("resume=")) {
        existingRun = Path.of(arg.substring(arg.indexOf('=') + 1));
        resume = arg.startsWith("resume=");
      } else {
        configArgs.add(arg);
      }
    }
    Launch launch = existingRun != null ? Launch.inRun(name, existingRun, configArgs, commandLine)
        : Launch.start(name, configArgs, runDir, commandLine);
    try {
      runStages(launch);
    } catch (ConfigError | StageFailure e) {
      launch.recordFailure(e);
      launch.finish(RunStatus.FAILED);
      throw e;
    } catch (InterruptedException e) {
      launch.recordFailure(e);
      launch.finish(RunStatus.KILLED);
      throw e;
    } catch (Exception | Error e) {
      // Anything else (an unreadable file, a bug): the trace goes to log.txt, the console gets
      // the message and where the trace is.
      launch.recordFailure(e);
      launch.finish(RunStatus.FAILED);
      throw new StageFailure(Vq.message(e) + " (the stack trace is in " + launch.logFile() + ")", e);
    }
    launch.close();
    spec.commandLine().getOut().println(launch.directory().path());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
