package org.vqlab.experiments.multirun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.launch.Job;
import org.vqlab.core.launch.JobResult;
import org.vqlab.core.launch.Launcher;
import org.vqlab.experiments.run.RunDirectory;

/**
 * Submits a sweep as one Slurm job array. Task n runs job n's {@code vq} command (the JVM, classpath
 * and properties of {@link BasicLauncher#command}) in the job's directory, with the job's
 * environment exported; its output is the job's {@code console.txt}. The script is checked with
 * {@code sbatch --test-only} first, so a partition, account or limit that Slurm refuses is reported
 * with Slurm's message and nothing is submitted.
 *
 * <p>Waiting, it polls the array until every task ended (Ctrl-C cancels the array through a JVM
 * shutdown hook). {@code slurm.json} in the sweep directory records the array, so
 * {@code vq sweep-status <dir>} rebuilds the results later.
 */
public final class SlurmLauncher implements Launcher {
  static final String SCRIPT = "slurm-array.sh";
  static final String RECORD = "slurm.json";
  private static final Logger LOG = LoggerFactory.getLogger(SlurmLauncher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SlurmLauncherFactory.Settings settings;

  SlurmLauncher(SlurmLauncherFactory.Settings settings) {
    this.settings = settings;
  }

  @Override
  public List<JobResult> launch(List<Job> jobs) throws InterruptedException {
    try {
      Path sweepDir = jobs.get(0).directory().getParent();
      for (Job job : jobs) {
        Files.createDirectories(job.directory());
      }
      Path script = sweepDir.resolve(SCRIPT);
      RunDirectory.writeAtomically(script, script(jobs));
      SlurmQueue.Output test = SlurmQueue.run(List.of("sbatch", "--test-only", script.toString()));
      if (test.code() != 0) {
        throw new ConfigError("Slurm refuses the job array (launcher=slurm" + describe() + "): "
            + test.message() + "; nothing was submitted (script: " + script + ")");
      }
      SlurmQueue.Output submitted = SlurmQueue.run(List.of("sbatch", "--parsable", script.toString()));
      if (submitted.code() != 0) {
        throw new ConfigError("sbatch failed: " + submitted.message() + " (script: " + script + ")");
      }
      String arrayId = submitted.stdout().strip().split(";")[0];
      writeRecord(sweepDir, arrayId, jobs);
      LOG.info("submitted {} job(s) as Slurm array {}", jobs.size(), arrayId);
      if (!settings.waitForJobs()) {
        return results(jobs, arrayId, SlurmQueue.states(arrayId, jobs.size()));
      }
      return follow(jobs, arrayId);
    } catch (IOException e) {
      throw new ConfigError("cannot submit the sweep to Slurm: " + e.getMessage(), e);
    }
  }

  private String describe() {
    StringBuilder s = new StringBuilder();
    if (!settings.partition().isEmpty()) {
      s.append(" launcher.partition=").append(settings.partition());
    }
    if (!settings.account().isEmpty()) {
      s.append(" launcher.account=").append(settings.account());
    }
    if (!settings.qos().isEmpty()) {
      s.append(" launcher.qos=").append(settings.qos());
    }
    return s.append(" launcher.time=").append(settings.time()).toString();
  }

  /** Polls until every task ended; prints progress when it changes; Ctrl-C cancels the array. */
  private List<JobResult> follow(List<Job> jobs, String arrayId) throws IOException, InterruptedException {
    Thread cancel = new Thread(() -> {
      try {
        SlurmQueue.run(List.of("scancel", arrayId));
        System.err.println("cancelled Slurm array " + arrayId);
      } catch (IOException | InterruptedException e) {
        System.err.println("could not cancel Slurm array " + arrayId + ": " + e.getMessage());
      }
    }, "scancel-" + arrayId);
    Runtime.getRuntime().addShutdownHook(cancel);
    try {
      String last = "";
      while (true) {
        List<SlurmQueue.TaskState> states = SlurmQueue.states(arrayId, jobs.size());
        String progress = progress(states);
        if (!progress.equals(last)) {
          LOG.info("Slurm array {}: {}", arrayId, progress);
          last = progress;
        }
        if (states.stream().allMatch(SlurmQueue.TaskState::terminal)) {
          return results(jobs, arrayId, states);
        }
        Thread.sleep(settings.pollSeconds() * 1000L);
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancel);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it cancels the array
      }
    }
  }

  static String progress(List<SlurmQueue.TaskState> states) {
    int queued = 0;
    int running = 0;
    int done = 0;
    int failed = 0;
    for (SlurmQueue.TaskState s : states) {
      if (s.state().equals("COMPLETED")) {
        done++;
      } else if (s.terminal()) {
        failed++;
      } else if (s.queued()) {
        queued++;
      } else {
        running++;
      }
    }
    return queued + " queued, " + running + " running, " + done + " done, " + failed + " failed";
  }

  static List<JobResult> results(List<Job> jobs, String arrayId, List<SlurmQueue.TaskState> states)
      throws IOException {
    List<JobResult> out = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      SlurmQueue.TaskState s = states.get(i);
      boolean finished = s.terminal();
      int code = s.state().equals("COMPLETED") ? s.exitCode() : s.exitCode() == 0 ? 1 : s.exitCode();
      String error = "";
      if (s.state().equals("TIMEOUT")) {
        error = "killed by Slurm at the time limit; resumable: vq " + job.arguments().get(0)
            + " resume=" + job.directory().toAbsolutePath();
      } else if (finished && code != 0) {
        Path console = job.directory().resolve(BasicLauncher.CONSOLE);
        error = Files.exists(console) ? BasicLauncher.tail(console, 15) : s.state();
      }
      out.add(new JobResult(job, finished ? code : -1, error, s.millis(), s.jobId(), s.state(), finished));
    }
    return out;
  }

  /** The batch script: #SBATCH lines, the setup lines, then one case per task. */
  String script(List<Job> jobs) {
    Path sweepDir = jobs.get(0).directory().getParent().toAbsolutePath();
    StringBuilder s = new StringBuilder("#!/bin/bash\n");
    s.append("# Written by vq's slurm launcher: one array task per job of the sweep.\n");
    sbatch(s, "--job-name=" + settings.jobName());
    sbatch(s, "--array=0-" + (jobs.size() - 1) + (settings.parallelism() > 0 ? "%" + settings.parallelism() : ""));
    sbatch(s, "--output=" + sweepDir + "/%a/" + BasicLauncher.CONSOLE);
    sbatch(s, "--time=" + settings.time());
    sbatch(s, "--cpus-per-task=" + settings.cpusPerTask());
    sbatch(s, "--ntasks=1");
    if (!settings.memory().isEmpty()) {
      sbatch(s, "--mem=" + settings.memory());
    }
    if (settings.gpusPerTask() > 0) {
      sbatch(s, "--gres=gpu:" + settings.gpusPerTask());
    }
    if (!settings.partition().isEmpty()) {
      sbatch(s, "--partition=" + settings.partition());
    }
    if (!settings.account().isEmpty()) {
      sbatch(s, "--account=" + settings.account());
    }
    if (!settings.qos().isEmpty()) {
      sbatch(s, "--qos=" + settings.qos());
    }
    settings.sbatchLines().forEach(line -> sbatch(s, line));
    s.append("set -e\n");
    settings.setup().forEach(line -> s.append(line).append('\n'));
    List<String> first = BasicLauncher.command(settings.jvmOptions(), jobs.get(0));
    int vqArgs = first.size() - jobs.get(0).arguments().size();
    s.append("VQ=(");
    first.subList(0, vqArgs).forEach(a -> s.append(quote(a)).append(' '));
    s.append(")\n");
    s.append("case \"$SLURM_ARRAY_TASK_ID\" in\n");
    for (Job job : jobs) {
      s.append("  ").append(job.number()).append(")\n");
      s.append("    cd ").append(quote(job.directory().toAbsolutePath().toString())).append('\n');
      for (Map.Entry<String, String> e : job.environment().entrySet()) {
        s.append("    export ").append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
      }
      s.append("    exec \"${VQ[@]}\"");
      job.arguments().forEach(a -> s.append(' ').append(quote(a)));
      s.append("\n    ;;\n");
    }
    s.append("  *) echo \"no job for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n");
    return s.toString();
  }

  private static void sbatch(StringBuilder s, String option) {
    s.append("#SBATCH ").append(option).append('\n');
  }

  /** A single-quoted shell word. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void writeRecord(Path sweepDir, String arrayId, List<Job> jobs) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("array_job_id", arrayId);
    ArrayNode list = root.putArray("jobs");
    for (Job job : jobs) {
      ObjectNode j = list.addObject();
      j.put("number", job.number());
      j.put("directory", job.directory().toAbsolutePath().toString());
      job.overrides().forEach(j.putArray("overrides")::add);
      job.arguments().forEach(j.putArray("arguments")::add);
    }
    RunDirectory.writeAtomically(sweepDir.resolve(RECORD), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(root));
  }

  /** The results of a submitted sweep now, from its {@code slurm.json} and Slurm's view. */
  public static List<JobResult> status(Path sweepDir) throws IOException, InterruptedException {
    Path record = sweepDir.resolve(RECORD);
    if (!Files.isRegularFile(record)) {
      throw new ConfigError("'" + sweepDir + "' is not a sweep submitted to Slurm: " + record
          + " does not exist");
    }
    JsonNode root = JSON.readTree(record.toFile());
    List<Job> jobs = new ArrayList<>();
    for (JsonNode j : root.get("jobs")) {
      List<String> overrides = new ArrayList<>();
      j.get("overrides").forEach(o -> overrides.add(o.asText()));
      List<String> arguments = new ArrayList<>();
      j.get("arguments").forEach(o -> arguments.add(o.asText()));
      jobs.add(new Job(j.get("number").asInt(), overrides, Path.of(j.get("directory").asText()),
          arguments, Map.of()));
    }
    String arrayId = root.get("array_job_id").asText();
    return results(jobs, arrayId, SlurmQueue.states(arrayId, jobs.size()));
  }
}
