package org.vqlab.core.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * Receives what a launch produces. A launch has stages (train, encode, train-prior, sample, eval);
 * metrics, artifacts and tags are logged to the current stage. Implementations must never fail the
 * run: a tracker that cannot deliver queues, retries and reports at {@link #close()}.
 */
public interface Tracker extends AutoCloseable {

  String name();

  void stageStarted(String stage);

  void logMetric(String name, double value, long step, long timestampMillis);

  /** Logs a file; {@code artifactPath} is its directory inside the run's artifacts ("" for the root). */
  void logArtifact(Path file, String artifactPath);

  void setTags(Map<String, String> tags);

  /**
   * A headline result of the whole launch (bits/dim, PSNR, training time), recorded on the
   * launch's own run so that launches and sweep jobs compare side by side. The stage that
   * produced it has logged it as one of its metrics already, so by default nothing more is done.
   */
  default void logLaunchMetric(String name, double value) {}

  /** The data the launch trains and evaluates on; by default not recorded beyond the config. */
  default void logDataset(DatasetInput dataset) {}

  void stageEnded(RunStatus status);

  /** Ends the launch; returns a one-line report of anything that could not be delivered, or "". */
  String finish(RunStatus status);

  @Override
  default void close() {}
}
