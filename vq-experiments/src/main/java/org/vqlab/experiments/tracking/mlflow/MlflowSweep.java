package org.vqlab.experiments.tracking.mlflow;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.Section;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.experiments.tracking.mlflow.MlflowSender.RunHandle;

/**
 * The parent run of a multirun sweep, for the launcher: {@link #start} creates it before the jobs
 * run (their launch runs nest under {@link #runId()} through {@link #parentIds()}), {@link #end}
 * ends it. A sweep never fails because of MLflow: when the run cannot be created in time,
 * {@link #start} returns empty and the jobs' runs are top-level.
 */
public final class MlflowSweep {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowSweep.class);
  private final MlflowTrackingConfig config;
  private final MlflowSender sender;
  private final RunHandle run;
  private boolean ended;

  private MlflowSweep(MlflowTrackingConfig config, MlflowSender sender, RunHandle run) {
    this.config = config;
    this.sender = sender;
    this.run = run;
  }

  /**
   * Creates the sweep's run if {@code tracking.mlflow.uri} is set, waiting at most
   * request_timeout_seconds for the server. {@code params} (e.g. the swept overrides) and
   * {@code tags} (versions, commit, ...) go on the run, cleaned like a launch's.
   */
  public static Optional<MlflowSweep> start(Section trackingSection, String runName,
      Map<String, String> params, Map<String, String> tags) {
    MlflowTrackingConfig config = new MlflowTrackerFactory().validate(trackingSection);
    if (!config.enabled()) {
      return Optional.empty();
    }
    return start(config, MlflowCredentials.fromEnvironment(), runName, params, tags);
  }

  static Optional<MlflowSweep> start(MlflowTrackingConfig config, MlflowCredentials credentials,
      String runName, Map<String, String> params, Map<String, String> tags) {
    List<String> secrets = credentials.secrets();
    MlflowSender sender = new MlflowSender(new MlflowConnection(config, credentials));
    RunHandle run = new RunHandle(runName);
    Map<String, String> runTags = new LinkedHashMap<>();
    runTags.put("mlflow.source.type", "LOCAL");
    runTags.put("mlflow.user", System.getProperty("user.name", ""));
    runTags.putAll(tags);
    runTags.put("mlflow.runName", runName);
    runTags.put("vqlab.sweep", "true");
    sender.enqueue(new MlflowSender.CreateRun(run, null, null, System.currentTimeMillis(),
        MlflowLimits.entries(runTags, config.maxValueLength(), secrets)));
    List<Map.Entry<String, String>> p = new ArrayList<>();
    MlflowLimits.entries(params, config.maxValueLength(), secrets).forEach((k, v) -> p.add(Map.entry(k, v)));
    sender.enqueue(new MlflowSender.LogParams(run, p));
    long deadline = System.currentTimeMillis() + Math.round(config.requestTimeoutSeconds() * 1000);
    try {
      while (run.id == null && !run.failed && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (run.id == null) {
      String report = sender.close(0);
      LOG.warn("MLflow: no sweep run at {}; the jobs' runs will not be nested ({})", config.uri(), report);
      return Optional.empty();
    }
    return Optional.of(new MlflowSweep(config, sender, run));
  }

  public String runId() {
    return run.id;
  }

  /** What the launcher hands each job as {@code RunInfo.parentIds()}. */
  public Map<String, String> parentIds() {
    return Map.of(MlflowTracker.PARENT_ID_KEY, run.id);
  }

  /** Ends the sweep's run; returns what could not be delivered, or "". */
  public synchronized String end(RunStatus status) {
    if (ended) {
      return "";
    }
    ended = true;
    sender.enqueue(new MlflowSender.EndRun(run, status, System.currentTimeMillis()));
    return sender.close(Math.round(config.finishTimeoutSeconds() * 1000));
  }

  /** "sweep 2026-11-22 16:10:00". */
  public static String sweepRunName(LocalDateTime start) {
    return "sweep " + start.format(MlflowTracker.RUN_TIME);
  }

  /** "job 3: quantizer=ema seed=2": a job's launch run, named by the overrides it sweeps. */
  public static String jobRunName(int job, List<String> overrides) {
    return "job " + job + ": " + String.join(" ", overrides);
  }
}
