package org.vqlab.experiments.tracking.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.tracking.DatasetInput;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.core.tracking.Tracker;
import org.vqlab.experiments.tracking.mlflow.MlflowSender.RunHandle;

/**
 * Tracks a launch in MLflow: a parent run for the launch (itself nested under the sweep's run when
 * {@code RunInfo.parentIds()} has an {@value #PARENT_ID_KEY} entry) and one child run per stage,
 * each with the flattened config as params and the launch's tags. Every call only enqueues; a
 * background {@link MlflowSender} delivers, so a slow or absent server never holds up training.
 */
public final class MlflowTracker implements Tracker {
  /** The key of this tracker's run id in {@link RunInfo#parentIds()} and the sweep environment. */
  public static final String PARENT_ID_KEY = "mlflow";
  /** The artifact directory for checkpoints; see {@code tracking.mlflow.log_checkpoints}. */
  public static final String CHECKPOINTS = "checkpoints";
  static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);

  private final MlflowTrackingConfig config;
  private final MlflowSender sender;
  private final List<String> secrets;
  private final List<Map.Entry<String, String>> params;
  private final Map<String, String> launchTags;
  private final RunHandle launch;
  private final Map<String, String> metricNames = new ConcurrentHashMap<>();
  private volatile RunHandle stage;
  /** How often the process's CPU and memory are sampled (MLflow's own default is 10 s). */
  static final long SYSTEM_METRICS_INTERVAL_SECONDS = 10;
  private final SystemMetrics systemMetrics;
  private final boolean sampleSystemMetrics;
  private final java.util.concurrent.ScheduledExecutorService systemTimer;
  private long systemSamples;
  private boolean finished;

  MlflowTracker(MlflowTrackingConfig config, MlflowCredentials credentials, RunInfo run) {
    this(config, credentials, run, true);
  }

  /**
   * {@code systemSamples = false} leaves out the system metrics, for tests that count exactly the
   * points they logged (the samples' number depends on how long the launch takes).
   */
  MlflowTracker(MlflowTrackingConfig config, MlflowCredentials credentials, RunInfo run,
      boolean systemSamples) {
    this.config = config;
    this.sampleSystemMetrics = systemSamples;
    this.secrets = credentials.secrets();
    this.sender = new MlflowSender(new MlflowConnection(config, credentials));
    List<Map.Entry<String, String>> p = new ArrayList<>();
    MlflowLimits.entries(run.params() == null ? Map.of() : run.params(), config.maxValueLength(), secrets)
        .forEach((k, v) -> p.add(Map.entry(k, v)));
    this.params = List.copyOf(p);

    Map<String, String> tags = new LinkedHashMap<>();
    String arguments = run.config() == null ? "" : String.join(" ", run.config().arguments());
    tags.put("mlflow.source.name", arguments.isEmpty() ? "vq" : "vq " + arguments);
    tags.put("mlflow.source.type", "LOCAL");
    tags.put("mlflow.user", System.getProperty("user.name", ""));
    if (run.directory() != null) {
      tags.put("vqlab.run_directory", run.directory().toAbsolutePath().toString());
    }
    if (run.tags() != null) {
      tags.putAll(run.tags());
    }
    this.launchTags = MlflowLimits.entries(tags, config.maxValueLength(), secrets);

    String name = run.runName() == null || run.runName().isBlank()
        ? run.experiment() + " " + LocalDateTime.now().format(RUN_TIME) : run.runName();
    this.launch = new RunHandle(name);
    String sweepRunId = run.parentIds() == null ? null : run.parentIds().get(PARENT_ID_KEY);
    sender.enqueue(new MlflowSender.CreateRun(launch, null, sweepRunId, System.currentTimeMillis(),
        runTags(name, null)));
    sender.enqueue(new MlflowSender.LogParams(launch, params));
    this.systemMetrics = new SystemMetrics();
    this.systemTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mlflow-system-metrics");
      t.setDaemon(true);
      return t;
    });
    if (systemSamples) {
      systemTimer.scheduleAtFixedRate(this::sampleSystem, 0, SYSTEM_METRICS_INTERVAL_SECONDS,
          java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private Map<String, String> runTags(String runName, String stageName) {
    Map<String, String> tags = new LinkedHashMap<>(launchTags);
    tags.put("mlflow.runName", MlflowLimits.value(runName, config.maxValueLength(), secrets));
    if (stageName != null) {
      tags.put("vqlab.stage", stageName);
    }
    return tags;
  }

  @Override
  public String name() {
    return "mlflow";
  }

  /** The launch run's id once the server has created it. */
  public Optional<String> launchRunId() {
    return Optional.ofNullable(launch.id);
  }

  /** Metric points not yet on the server. */
  int pendingMetrics() {
    return sender.pendingMetrics();
  }

  @Override
  public synchronized void stageStarted(String stageName) {
    if (stage != null) {
      LOG.warn("stage '{}' started while '{}' was still open; ending '{}' as FINISHED", stageName,
          stage.name, stage.name);
      stageEnded(RunStatus.FINISHED);
    }
    RunHandle s = new RunHandle(stageName);
    sender.enqueue(new MlflowSender.CreateRun(s, launch, null, System.currentTimeMillis(),
        runTags(stageName, stageName)));
    sender.enqueue(new MlflowSender.LogParams(s, params));
    stage = s;
  }

  private RunHandle current() {
    RunHandle s = stage;
    return s != null ? s : launch;
  }

  @Override
  public void logMetric(String name, double value, long step, long timestampMillis) {
    String key = metricNames.computeIfAbsent(name, MlflowLimits::name);
    sender.enqueueMetric(current(), new MlflowConnection.Point(key, value, step, timestampMillis));
  }

  /**
   * A file, or every file under a directory (keeping its layout), below {@code artifactPath}.
   * Artifacts under {@value #CHECKPOINTS} are uploaded only with {@code log_checkpoints = true}.
   */
  @Override
  public void logArtifact(Path file, String artifactPath) {
    String dir = artifactPath == null ? "" : artifactPath.replace('\\', '/').replaceAll("^/+|/+$", "");
    if (!config.logCheckpoints() && (dir.equals(CHECKPOINTS) || dir.startsWith(CHECKPOINTS + "/"))) {
      return;
    }
    String prefix = dir.isEmpty() ? "" : dir + "/";
    RunHandle target = current();
    if (Files.isDirectory(file)) {
      Path root = file.getParent() == null ? file : file.getParent();
      try (Stream<Path> files = Files.walk(file)) {
        files.filter(Files::isRegularFile).sorted().forEach(f -> sender.enqueue(new MlflowSender.Artifact(
            target, f, prefix + root.relativize(f).toString().replace('\\', '/'))));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + file, e);
      }
    } else {
      sender.enqueue(new MlflowSender.Artifact(target, file, prefix + file.getFileName()));
    }
  }

  @Override
  public void setTags(Map<String, String> tags) {
    List<Map.Entry<String, String>> list = new ArrayList<>();
    MlflowLimits.entries(tags, config.maxValueLength(), secrets).forEach((k, v) -> list.add(Map.entry(k, v)));
    sender.enqueue(new MlflowSender.SetTags(current(), list));
  }

  /** On the launch's run (step 0), whatever stage is open, so launches compare in MLflow's table. */
  @Override
  public void logLaunchMetric(String name, double value) {
    String key = metricNames.computeIfAbsent(name, MlflowLimits::name);
    sender.enqueueMetric(launch, new MlflowConnection.Point(key, value, 0, System.currentTimeMillis()));
  }

  @Override
  public void logDataset(DatasetInput dataset) {
    sender.enqueue(new MlflowSender.LogInputs(launch, dataset));
  }

  /** One sample of {@link SystemMetrics} on the launch's run, stepped by sample count. */
  private void sampleSystem() {
    try {
      long step = systemSamples++;
      long now = System.currentTimeMillis();
      systemMetrics.sample().forEach((k, v) ->
          sender.enqueueMetric(launch, new MlflowConnection.Point(k, v, step, now)));
    } catch (RuntimeException e) {
      LOG.debug("system metrics: {}", e.toString());
    }
  }

  @Override
  public synchronized void stageEnded(RunStatus status) {
    if (stage == null) {
      LOG.warn("stageEnded({}) without a started stage; ignored", status);
      return;
    }
    sender.enqueue(new MlflowSender.EndRun(stage, status, System.currentTimeMillis()));
    stage = null;
  }

  /**
   * Ends the open stage (if any) and the launch run with {@code status}, then waits up to
   * finish_timeout_seconds for the backlog; returns what could not be delivered, or "".
   */
  @Override
  public synchronized String finish(RunStatus status) {
    if (finished) {
      return "";
    }
    if (stage != null) {
      stageEnded(status);
    }
    systemTimer.shutdownNow();
    try {
      // A sample in flight must land before the backlog is closed, not after it.
      systemTimer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sampleSystemMetrics) {
      sampleSystem();
    }
    sender.enqueue(new MlflowSender.EndRun(launch, status, System.currentTimeMillis()));
    finished = true;
    String report = sender.close(Math.round(config.finishTimeoutSeconds() * 1000));
    if (!report.isEmpty()) {
      LOG.warn("MLflow: {}", report);
    }
    return report;
  }

  /** A launch closed without {@link #finish} was aborted: its runs end as KILLED. */
  @Override
  public void close() {
    finish(RunStatus.KILLED);
  }
}
