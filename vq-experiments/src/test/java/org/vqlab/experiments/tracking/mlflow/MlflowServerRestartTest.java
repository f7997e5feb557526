package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.RunStatus;

/**
 * The server is stopped in the middle of a stage and started again (scripts/mlflow-server, on its
 * own port and home so that the shared server is not disturbed); afterwards MLflow holds every
 * metric. Runs only with the other MLflow tests (VQLAB_MLFLOW_URI set: the venv exists).
 */
@Tag("mlflow")
class MlflowServerRestartTest {
  @TempDir
  static Path home;
  private static Path script;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(System.getenv("VQLAB_MLFLOW_URI") != null, "VQLAB_MLFLOW_URI is not set");
    script = Path.of(System.getProperty("vqlab.home", ".")).resolve("scripts/mlflow-server");
    assumeTrue(Files.isExecutable(script), script + " not found");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server("start");
  }

  @AfterAll
  static void stop() throws Exception {
    if (script != null && port != 0) {
      server("stop");
    }
  }

  /** Runs the script with this test's home and port, sharing the venv of the main server. */
  private static void server(String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(script.toString(), command).redirectErrorStream(true);
    String sharedHome = System.getenv().getOrDefault("VQLAB_MLFLOW_HOME",
        Path.of(System.getProperty("user.home"), ".vqlab", "mlflow").toString());
    pb.environment().put("VQLAB_MLFLOW_VENV",
        System.getenv().getOrDefault("VQLAB_MLFLOW_VENV", sharedHome + "/venv"));
    pb.environment().put("VQLAB_MLFLOW_HOME", home.toString());
    pb.environment().put("VQLAB_MLFLOW_PORT", Integer.toString(port));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "mlflow-server " + command + ": " + out);
  }

  @Test
  void everyMetricArrivesAfterTheServerComesBack(@TempDir Path dir) throws Exception {
    String uri = "http://127.0.0.1:" + port;
    MlflowServerApi api = new MlflowServerApi(uri);
    RunInfo run = MlflowTestRuns.run(dir, "name = restart", "restart", Map.of(), Map.of());
    MlflowTracker tracker = new MlflowTracker(MlflowTestRuns.config(uri, "vqlab-restart", true),
        MlflowCredentials.none(), run);
    tracker.stageStarted("train");
    for (long step = 0; step < 1500; step++) {
      tracker.logMetric("train/loss", MlflowTrackerTest.loss(step), step, 1_700_000_000_000L + step);
    }
    long waitUntil = System.currentTimeMillis() + 60_000;
    while (tracker.pendingMetrics() > 0 && System.currentTimeMillis() < waitUntil) {
      Thread.sleep(50);
    }
    assertEquals(0, tracker.pendingMetrics());

    server("stop");
    for (long step = 1500; step < 3000; step++) {
      tracker.logMetric("train/loss", MlflowTrackerTest.loss(step), step, 1_700_000_000_000L + step);
    }
    Path checkpoint = Files.write(dir.resolve("model.ckpt"), new byte[] {1, 2, 3, 4, 5});
    tracker.logArtifact(checkpoint, "checkpoints");
    tracker.stageEnded(RunStatus.FINISHED);
    // Nothing can be delivered while the server is down: all 1500 points wait in the queue.
    Thread.sleep(500);
    assertEquals(1500, tracker.pendingMetrics());

    server("start");
    assertEquals("", tracker.finish(RunStatus.FINISHED));

    String launchId = tracker.launchRunId().orElseThrow();
    Map<String, JsonNode> stages = api.children(api.experimentId("vqlab-restart"), launchId);
    assertEquals(Set.of("train"), stages.keySet());
    JsonNode train = api.run(stages.get("train").get("info").get("run_id").asText());
    assertEquals("FINISHED", train.get("info").get("status").asText());
    List<JsonNode> history = api.history(train.get("info").get("run_id").asText(), "train/loss");
    assertEquals(3000, history.size());
    for (int i = 0; i < history.size(); i++) {
      assertEquals(i, history.get(i).get("step").asLong());
      assertEquals(MlflowTrackerTest.loss(i), history.get(i).get("value").asDouble(), 0.0);
    }
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5},
        api.download(train.get("info").get("artifact_uri").asText(), "checkpoints/model.ckpt"));
    assertTrue(api.run(launchId).get("info").get("end_time").asLong() > 0);
  }
}
