package org.vqlab.experiments.multirun;

import java.util.List;
import java.util.regex.Pattern;
import org.vqlab.core.config.Section;
import org.vqlab.core.launch.Launcher;
import org.vqlab.core.launch.LauncherFactory;

/** The {@code slurm} launcher: a sweep is one {@code sbatch} job array (see slurm.conf). */
public final class SlurmLauncherFactory implements LauncherFactory {
  /** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or no limit. */
  private static final Pattern TIME = Pattern.compile(
      "\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d+(:\\d{1,2}){0,2}|UNLIMITED|INFINITE");
  private static final Pattern MEMORY = Pattern.compile("|\\d+[KMGT]?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.,:+-]*");

  /** The {@code launcher} section of launcher=slurm. */
  public record Settings(String partition, String account, String qos, String time, int cpusPerTask,
      String memory, int gpusPerTask, int parallelism, List<String> sbatchLines, List<String> setup,
      boolean waitForJobs, int pollSeconds, String jobName, List<String> jvmOptions) {
    public Settings {
      name("launcher.partition", partition);
      name("launcher.account", account);
      name("launcher.qos", qos);
      name("launcher.job_name", jobName);
      if (!TIME.matcher(time).matches()) {
        throw new IllegalArgumentException("launcher.time must be a Slurm time limit (minutes, MM:SS,"
            + " HH:MM:SS, D-HH[:MM[:SS]] or UNLIMITED), got '" + time + "'");
      }
      if (time.matches("0+")) {
        throw new IllegalArgumentException("launcher.time must be more than 0 minutes, got '" + time + "'");
      }
      if (!MEMORY.matcher(memory).matches()) {
        throw new IllegalArgumentException("launcher.memory must be empty (the partition's default) or"
            + " a size such as 8G, 512M, got '" + memory + "'");
      }
      if (cpusPerTask < 1) {
        throw new IllegalArgumentException("launcher.cpus_per_task must be >= 1, got " + cpusPerTask);
      }
      if (gpusPerTask < 0) {
        throw new IllegalArgumentException("launcher.gpus_per_task must be >= 0, got " + gpusPerTask);
      }
      if (parallelism < 0) {
        throw new IllegalArgumentException(
            "launcher.parallelism must be >= 0 (0: as many tasks at once as Slurm allows), got " + parallelism);
      }
      if (pollSeconds < 1) {
        throw new IllegalArgumentException("launcher.poll_seconds must be >= 1, got " + pollSeconds);
      }
      for (String line : sbatchLines) {
        if (!line.startsWith("--") || line.contains("\n")) {
          throw new IllegalArgumentException("launcher.sbatch_lines holds sbatch options, one per entry,"
              + " starting with -- (e.g. \"--constraint=a100\"), got '" + line + "'");
        }
      }
      for (String line : setup) {
        if (line.contains("\n")) {
          throw new IllegalArgumentException("launcher.setup holds one shell line per entry, got '" + line + "'");
        }
      }
      sbatchLines = List.copyOf(sbatchLines);
      setup = List.copyOf(setup);
      jvmOptions = List.copyOf(jvmOptions);
    }

    private static void name(String key, String value) {
      if (!NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(key + " must be a Slurm name (letters, digits, _ . , : + -)"
            + " or empty for the cluster's default, got '" + value + "'");
      }
    }
  }

  @Override
  public Class<? extends Record> configType() {
    return Settings.class;
  }

  @Override
  public Launcher create(Section launcherSection) {
    return new SlurmLauncher(launcherSection.bind(Settings.class));
  }
}
