package org.vqlab.experiments.listeners;

import java.nio.file.Path;
import java.util.Map;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainingListener;
import org.vqlab.experiments.tracking.Tracking;

/** Sends training and evaluation metrics, with their steps, to every tracker of the launch. */
public final class TrackingListener implements TrainingListener {
  private final Tracking tracking;
  private final String prefix;
  private final boolean logCheckpoints;

  /** {@code prefix} distinguishes stages that train several blocks (e.g. "prior/top/"). */
  public TrackingListener(Tracking tracking, String prefix, boolean logCheckpoints) {
    this.tracking = tracking;
    this.prefix = prefix;
    this.logCheckpoints = logCheckpoints;
  }

  private void log(long step, Map<String, Double> metrics) {
    long now = System.currentTimeMillis();
    metrics.forEach((name, value) -> tracking.logMetric(prefix + name, value, step, now));
  }

  @Override
  public void onStep(Trainer<?> trainer, long step, Map<String, Double> metrics) {
    log(step, metrics);
  }

  @Override
  public void onEvaluation(Trainer<?> trainer, long step, Map<String, Double> metrics) {
    log(step, metrics);
  }

  @Override
  public void onEnd(Trainer<?> trainer, Trainer.Result result) {
    if (logCheckpoints) {
      try {
        trainer.checkpoints().latestIntact().ifPresent(p -> tracking.logArtifact(p, "checkpoints"));
      } catch (java.io.IOException e) {
        // The checkpoint stays in the run directory; tracking is best effort.
      }
    }
  }

  @Override
  public void onCheckpoint(Trainer<?> trainer, long step, Path file) {}
}
