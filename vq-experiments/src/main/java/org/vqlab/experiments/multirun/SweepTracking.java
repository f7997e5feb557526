package org.vqlab.experiments.multirun;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.engine.Versions;
import org.vqlab.core.launch.JobResult;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.tracking.mlflow.MlflowSweep;

/**
 * The sweep-level side of tracking: with MLflow on, a parent run per sweep whose id reaches every
 * job through {@value Launch#PARENT_RUNS_ENV}, so each job's launch run nests under it. The local
 * record of a sweep is its directory and summary.
 */
final class SweepTracking {
  private static final Logger LOG = LoggerFactory.getLogger(SweepTracking.class);
  private final Optional<MlflowSweep> mlflow;

  private SweepTracking(Optional<MlflowSweep> mlflow) {
    this.mlflow = mlflow;
  }

  static SweepTracking start(ComposedConfig first, Path sweepDir, String command, List<String> arguments) {
    Map<String, String> params = new TreeMap<>();
    params.put("sweep.command", command);
    params.put("sweep.arguments", String.join(" ", arguments));
    params.put("sweep.directory", sweepDir.toAbsolutePath().toString());
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("vqlab.version", Versions.vqlab());
    tags.put("djl.version", ai.djl.engine.Engine.getDjlVersion());
    tags.put("source", "vq " + command + " -m " + String.join(" ", arguments));
    Versions.gitCommit(Launch.home()).ifPresent(c -> tags.put("mlflow.source.git.commit", c));
    return new SweepTracking(MlflowSweep.start(first.root().child("tracking"),
        MlflowSweep.sweepRunName(LocalDateTime.now()), params, tags));
  }

  /** The environment a job's JVM gets: the parent run ids and the job's run name. */
  Map<String, String> environment(int job, List<String> overrides) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(Launch.RUN_NAME_ENV, MlflowSweep.jobRunName(job, overrides));
    mlflow.ifPresent(s -> {
      StringBuilder ids = new StringBuilder();
      s.parentIds().forEach((k, v) -> ids.append(ids.length() == 0 ? "" : ",").append(k).append('=').append(v));
      env.put(Launch.PARENT_RUNS_ENV, ids.toString());
    });
    return env;
  }

  void finish(List<JobResult> results) {
    end(results.stream().allMatch(JobResult::succeeded) ? RunStatus.FINISHED : RunStatus.FAILED);
  }

  /** The launcher failed before the jobs ran (e.g. the scheduler refused them). */
  void abort() {
    end(RunStatus.FAILED);
  }

  private void end(RunStatus status) {
    mlflow.ifPresent(s -> {
      String undelivered = s.end(status);
      if (!undelivered.isEmpty()) {
        LOG.warn("MLflow sweep run: {}", undelivered);
      }
    });
  }
}
