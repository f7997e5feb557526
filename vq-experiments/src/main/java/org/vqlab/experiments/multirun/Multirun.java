package org.vqlab.experiments.multirun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.launch.Job;
import org.vqlab.core.launch.JobResult;
import org.vqlab.core.launch.Launcher;
import org.vqlab.core.launch.LauncherFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.experiments.run.RunDirectory;

/**
 * {@code vq <command> -m ...}: expands the sweep, checks that every job's config composes (typos
 * fail the sweep before anything runs), runs the jobs with the configured launcher in
 * {@code multirun/<timestamp>/<job>/}, and writes {@code summary.csv} and {@code summary.md}
 * (job, overrides, status, error, final metrics).
 */
public final class Multirun {
  public static final String SUMMARY_CSV = "summary.csv";
  public static final String SUMMARY_MD = "summary.md";
  private static final Logger LOG = LoggerFactory.getLogger(Multirun.class);

  private Multirun() {}

  /** Runs the sweep; returns 0 when every job succeeded, 1 otherwise. */
  public static int run(String command, List<String> arguments, Path multirunRoot, PrintWriter out)
      throws IOException, InterruptedException {
    List<List<String>> expanded = Sweep.expand(arguments);
    ConfigComposer composer = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader()));
    List<ComposedConfig> composed = new ArrayList<>();
    for (List<String> jobArgs : expanded) {
      composed.add(composer.compose(jobArgs));
    }
    PluginRegistry registry = PluginRegistry.load();
    LauncherFactory lf = registry.factory(PluginKind.LAUNCHER, composed.get(0).root().child("launcher"));
    Launcher launcher = lf.create(composed.get(0).root().child("launcher"));

    Path sweepDir = RunDirectory.createNew(multirunRoot, LocalDateTime.now()).path();
    LOG.info("multirun of {} jobs in {}", expanded.size(), sweepDir);
    SweepTracking sweepTracking = SweepTracking.start(composed.get(0), sweepDir, command, arguments);
    List<Boolean> swept = Sweep.swept(arguments);
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < expanded.size(); i++) {
      List<String> vqArgs = new ArrayList<>();
      vqArgs.add(command);
      vqArgs.add("--run-dir=" + sweepDir.resolve(Integer.toString(i)).toAbsolutePath());
      // The job's config directories travel as VQLAB_CONFIG_PATH (absolute), not as config_path=.
      expanded.get(i).stream().filter(a -> !a.startsWith(ConfigSearchPath.ARGUMENT + "=")).forEach(vqArgs::add);
      Map<String, String> env = new LinkedHashMap<>(
          sweepTracking.environment(i, Sweep.sweptOnly(expanded.get(i), swept)));
      jobEnvironment(composer.searchPathFor(expanded.get(i)), PluginPath.current(), env);
      jobs.add(new Job(i, expanded.get(i), sweepDir.resolve(Integer.toString(i)), vqArgs, Map.copyOf(env)));
    }
    List<JobResult> results;
    try {
      results = launcher.launch(jobs);
    } catch (RuntimeException | InterruptedException e) {
      sweepTracking.abort();
      throw e;
    }
    writeSummary(sweepDir, results);
    out.println("multirun: " + sweepDir);
    out.print(Files.readString(sweepDir.resolve(SUMMARY_MD)));
    if (!results.stream().allMatch(JobResult::finished)) {
      // Submitted to a scheduler without waiting: the jobs go on after this JVM; the sweep's MLflow
      // parent run stays open.
      out.println("submitted; the summary once the jobs ran: vq sweep-status " + sweepDir);
      return 0;
    }
    sweepTracking.finish(results);
    return results.stream().allMatch(JobResult::succeeded) ? 0 : 1;
  }

  /**
   * Adds what a job's JVM needs to see the launch's plugins and configs (the contract of
   * {@link Job#environment()}): {@code VQLAB_PLUGIN_PATH} with every plugin jar, absolute, and
   * {@code VQLAB_CONFIG_PATH} with the user config directories (absolute; the env's and those of
   * {@code config_path=}), each set to "" when there are none so a child never picks up other values.
   */
  static void jobEnvironment(ConfigSearchPath configPath, PluginPath pluginPath, Map<String, String> env) {
    env.put(PluginPath.ENV, pluginPath.toEnvironmentValue());
    env.put(ConfigSearchPath.ENV, configPath.toEnvironmentValue());
  }

  /**
   * {@code vq sweep-status <dir>}: the summary of a sweep submitted to Slurm, from the scheduler's
   * view now; 0 when every job succeeded, 1 when one failed, 3 while some are still queued or running.
   */
  public static int status(Path sweepDir, PrintWriter out) throws IOException, InterruptedException {
    List<JobResult> results = SlurmLauncher.status(sweepDir);
    writeSummary(sweepDir, results);
    out.println("multirun: " + sweepDir);
    out.print(Files.readString(sweepDir.resolve(SUMMARY_MD)));
    if (results.stream().anyMatch(r -> r.finished() && !r.succeeded())) {
      return 1;
    }
    return results.stream().allMatch(JobResult::finished) ? 0 : 3;
  }

  static void writeSummary(Path sweepDir, List<JobResult> results) throws IOException {
    List<Map<String, String>> finals = new ArrayList<>();
    TreeSet<String> metricNames = new TreeSet<>();
    for (JobResult r : results) {
      Map<String, String> m = finalMetrics(r.job().directory().resolve(RunDirectory.METRICS));
      finals.add(m);
      metricNames.addAll(m.keySet());
    }
    // A scheduler's jobs also show its job id, its state and the exit code.
    boolean scheduled = results.stream().anyMatch(r -> !r.schedulerJobId().isEmpty());
    StringBuilder csv = new StringBuilder(scheduled ? "job,overrides,scheduler_job,state,exit_code,seconds,error"
        : "job,overrides,status,seconds,error");
    StringBuilder md = new StringBuilder(scheduled
        ? "| job | overrides | scheduler job | state | exit code | seconds | error |"
        : "| job | overrides | status | seconds | error |");
    StringBuilder rule = new StringBuilder(scheduled ? "|---|---|---|---|---|---|---|" : "|---|---|---|---|---|");
    for (String name : metricNames) {
      csv.append(',').append(csvCell(name));
      md.append(' ').append(name).append(" |");
      rule.append("---|");
    }
    csv.append('\n');
    md.append('\n').append(rule).append('\n');
    for (int i = 0; i < results.size(); i++) {
      JobResult r = results.get(i);
      String status = scheduled
          ? r.schedulerJobId() + ',' + r.state() + ',' + (r.finished() ? r.exitCode() : "")
          : r.succeeded() ? "ok" : "failed (exit " + r.exitCode() + ")";
      String error = r.succeeded() || r.error().isEmpty() ? "" : lastErrorLine(r.error());
      String overrides = String.join(" ", r.job().overrides());
      String seconds = String.format("%.1f", r.millis() / 1000.0);
      csv.append(r.job().number()).append(',').append(csvCell(overrides)).append(',')
          .append(scheduled ? status : csvCell(status)).append(',').append(seconds).append(',').append(csvCell(error));
      md.append("| ").append(r.job().number()).append(" | ").append(mdCell(overrides)).append(" | ")
          .append(status.replace(",", " | ")).append(" | ").append(seconds).append(" | ").append(mdCell(error)).append(" |");
      for (String name : metricNames) {
        String v = finals.get(i).getOrDefault(name, "");
        csv.append(',').append(csvCell(v));
        md.append(' ').append(v).append(" |");
      }
      csv.append('\n');
      md.append('\n');
    }
    RunDirectory.writeAtomically(sweepDir.resolve(SUMMARY_CSV), csv.toString());
    RunDirectory.writeAtomically(sweepDir.resolve(SUMMARY_MD), md.toString());
  }

  /** The last value of every metric in a job's metrics.jsonl (empty when the job logged none). */
  static Map<String, String> finalMetrics(Path metrics) throws IOException {
    Map<String, String> last = new TreeMap<>();
    if (!Files.exists(metrics)) {
      return last;
    }
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = Files.newBufferedReader(metrics, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        last.put(n.get("name").asText(), n.get("value").asText());
      }
    }
    return last;
  }

  /** The most telling line of a failed job's output: the last "error:" line, else the last line. */
  static String lastErrorLine(String tail) {
    String[] lines = tail.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].contains("error:") || lines[i].contains("ERROR")) {
        return lines[i].trim();
      }
    }
    return lines.length == 0 ? "" : lines[lines.length - 1].trim();
  }

  private static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  private static String mdCell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  public static Path defaultRoot() {
    return Paths.get("multirun");
  }
}
