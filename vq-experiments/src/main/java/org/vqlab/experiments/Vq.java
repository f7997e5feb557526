package org.vqlab.experiments;

import java.io.PrintWriter;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.engine.Versions;
import org.vqlab.experiments.cli.BenchCommand;
import org.vqlab.experiments.cli.CompareCommand;
import org.vqlab.experiments.cli.ConfigCommand;
import org.vqlab.experiments.cli.PluginsCommand;
import org.vqlab.experiments.cli.StageCommands;
import org.vqlab.experiments.cli.SweepStatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vq} command line. */
@Command(name = "vq", mixinStandardHelpOptions = true, versionProvider = Vq.Version.class,
    description = "VQLab: hierarchical vector-quantised generative models.%n"
        + "Overrides: group=option, a.b=value, +a.b=value (add), ~a.b (remove), experiment=name.",
    subcommands = {StageCommands.Pipeline.class, StageCommands.Prepare.class, StageCommands.Train.class,
        StageCommands.Encode.class, StageCommands.TrainPrior.class, StageCommands.Sample.class,
        StageCommands.Eval.class, CompareCommand.class, BenchCommand.class, PluginsCommand.class,
        ConfigCommand.class, SweepStatusCommand.class, CommandLine.HelpCommand.class})
public final class Vq implements Runnable {
  /** Exit code for a configuration or usage error. */
  public static final int CONFIG_ERROR = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs {@code vq} with the given output and error streams; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Vq());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter errors = commandLine.getErr();
      if (e instanceof ConfigError) {
        errors.println("error: " + e.getMessage());
        errors.flush();
        return CONFIG_ERROR;
      }
      if (e instanceof org.vqlab.experiments.stages.StageFailure) {
        errors.println("error: " + e.getMessage());
        errors.flush();
        return 1;
      }
      // Not from a launch (no run directory, so no log.txt): an expected failure such as an
      // unreadable file gets its message; anything else is a bug and keeps its trace.
      errors.println("error: " + message(e));
      if (!(e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException)) {
        e.printStackTrace(errors);
      }
      errors.flush();
      return 1;
    });
    cli.setUnmatchedOptionsArePositionalParams(true);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** What went wrong, in the exception's own words (its type only when it has none). */
  public static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Prints VQLab's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"VQLab " + Versions.vqlab()};
    }
  }
}
