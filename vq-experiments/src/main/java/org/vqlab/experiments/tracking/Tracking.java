package org.vqlab.experiments.tracking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.tracking.DatasetInput;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.core.tracking.Tracker;

/**
 * Fans every call out to the launch's trackers. The local tracker's failures are real errors (the
 * run directory is the record); any other tracker's failure is logged and never stops the run.
 */
public final class Tracking implements Tracker {
  private static final Logger LOG = LoggerFactory.getLogger(Tracking.class);
  private final List<Tracker> trackers;

  public Tracking(List<Tracker> trackers) {
    this.trackers = List.copyOf(trackers);
  }

  public List<Tracker> trackers() {
    return trackers;
  }

  @Override
  public String name() {
    return "all";
  }

  private interface Call {
    void on(Tracker t);
  }

  private void each(String what, Call call) {
    for (Tracker t : trackers) {
      if (t instanceof LocalTracker) {
        call.on(t);
        continue;
      }
      try {
        call.on(t);
      } catch (RuntimeException e) {
        LOG.warn("tracker {} could not {}: {}", t.name(), what, e.toString());
      }
    }
  }

  @Override
  public void stageStarted(String stage) {
    each("start stage " + stage, t -> t.stageStarted(stage));
  }

  @Override
  public void logMetric(String name, double value, long step, long timestampMillis) {
    each("log " + name, t -> t.logMetric(name, value, step, timestampMillis));
  }

  public void logMetric(String name, double value, long step) {
    logMetric(name, value, step, System.currentTimeMillis());
  }

  @Override
  public void logArtifact(Path file, String artifactPath) {
    each("log artifact " + file, t -> t.logArtifact(file, artifactPath));
  }

  @Override
  public void setTags(Map<String, String> tags) {
    each("set tags", t -> t.setTags(tags));
  }

  @Override
  public void logLaunchMetric(String name, double value) {
    each("log " + name + " on the launch", t -> t.logLaunchMetric(name, value));
  }

  @Override
  public void logDataset(DatasetInput dataset) {
    each("log the dataset", t -> t.logDataset(dataset));
  }

  @Override
  public void stageEnded(RunStatus status) {
    each("end stage", t -> t.stageEnded(status));
  }

  @Override
  public String finish(RunStatus status) {
    List<String> reports = new ArrayList<>();
    each("finish", t -> {
      String r = t.finish(status);
      if (r != null && !r.isEmpty()) {
        reports.add(t.name() + ": " + r);
      }
    });
    return String.join("; ", reports);
  }

  @Override
  public void close() {
    each("close", Tracker::close);
  }
}
