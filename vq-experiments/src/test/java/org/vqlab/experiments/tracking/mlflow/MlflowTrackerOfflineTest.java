package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.RunStatus;

/** No server at all: the launch goes on, and finish reports exactly what MLflow did not get. */
class MlflowTrackerOfflineTest {

  @Test
  void nothingListeningIsReportedNotThrown(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String uri = "http://127.0.0.1:" + port;
    MlflowTrackingConfig config = new MlflowTrackingConfig(uri, "offline", false, 1, 2, 2, 0.5, 0.2,
        1000, 1000, 6000);
    RunInfo run = MlflowTestRuns.run(dir, "name = offline", "", Map.of(), Map.of());
    MlflowTracker tracker = new MlflowTracker(config, MlflowCredentials.none(), run, false);
    tracker.stageStarted("train");
    // 1500 points against a queue bound of 1000: 500 are dropped at once, 1000 wait and are lost.
    for (int step = 0; step < 1500; step++) {
      tracker.logMetric("loss", step, step, 1_700_000_000_000L + step);
    }
    tracker.logArtifact(dir, "");
    tracker.stageEnded(RunStatus.FAILED);
    String report = tracker.finish(RunStatus.FAILED);
    // Launch and stage: 2 creations, 2 param batches, 2 ends; the directory artifact is empty.
    assertEquals("not delivered to " + uri + ": 1500 metrics, 2 run creations, 2 param batches,"
        + " 2 run ends", report.substring(0, report.indexOf(" (")));
    assertEquals(0, tracker.pendingMetrics());
    assertEquals("", tracker.finish(RunStatus.FAILED));
  }

  /**
   * A server that accepts connections and never answers (the MLflow Java client has no timeouts):
   * logging still never blocks, and finish gives up after finish_timeout + request_timeout.
   */
  @Test
  void aServerThatNeverAnswersDoesNotHoldUpTheLaunch(@TempDir Path dir) throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      String uri = "http://127.0.0.1:" + silent.getLocalPort();
      MlflowTrackingConfig config = new MlflowTrackingConfig(uri, "silent", false, 1, 1, 1, 0.5, 0.2,
          1000, 1000, 6000);
      RunInfo run = MlflowTestRuns.run(dir, "name = silent", "", Map.of(), Map.of());
      MlflowTracker tracker = new MlflowTracker(config, MlflowCredentials.none(), run, false);
      tracker.stageStarted("train");
      for (int step = 0; step < 1500; step++) {
        tracker.logMetric("loss", step, step, 1_700_000_000_000L + step);
      }
      tracker.stageEnded(RunStatus.FINISHED);
      String report = tracker.finish(RunStatus.FINISHED);
      assertEquals("not delivered to " + uri + ": 1500 metrics, 2 run creations, 2 param batches,"
          + " 2 run ends", report.substring(0, report.indexOf(" (")));
    }
  }
}
