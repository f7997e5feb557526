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
    // Without system samples, so the queue holds exactly the points logged here.
    MlflowTracker tracker = new MlflowTracker(MlflowTestRuns.config(uri, "vqlab-restart", true),
        MlflowCredentials.none(), run, false);
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

  /** The same with a real `vq train` in its own JVM: training goes on and MLflow ends complete. */
  @Test
  void trainingSurvivesTheServerGoingDown(@TempDir Path out) throws Exception {
    String uri = "http://127.0.0.1:" + port;
    String experiment = "restart_vq_" + System.nanoTime();
    List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dvqlab.home=" + System.getProperty("vqlab.home"), "-cp", System.getProperty("java.class.path"),
        org.vqlab.experiments.Vq.class.getName(), "train", "name=" + experiment, "output_dir=" + out,
        "tracking=mlflow", "tracking.mlflow.uri=" + uri, "tracking.mlflow.max_retry_delay_seconds=2",
        "dataset.subset=2048", "model.channels=32", "model.residual_channels=8", "quantizer.num_codes=64",
        "quantizer.code_dim=16", "trainer.batch_size=64", "trainer.max_steps=400", "trainer.log_every=1",
        "trainer.eval_every=100", "trainer.eval_batches=2", "trainer.checkpoint_every=1000", "trainer.device=cpu"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(out.resolve("console.txt").toFile()).start();
    try {
      Path runs = out.resolve(experiment);
      waitForLines(runs, 40, p);
      server("stop");
      long linesWhenDown = metricLines(runs);
      waitForLines(runs, linesWhenDown + 200, p);
      server("start");
      assertEquals(0, p.waitFor(), Files.readString(out.resolve("console.txt")));
    } finally {
      p.destroyForcibly();
    }
    Path run;
    try (var s = Files.list(out.resolve(experiment))) {
      run = s.findFirst().orElseThrow();
    }
    Map<String, Integer> counts = new java.util.TreeMap<>();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      counts.merge(json.readTree(line).get("name").asText(), 1, Integer::sum);
    }
    assertEquals(400, counts.get("train/loss"));
    MlflowServerApi api = new MlflowServerApi(uri);
    String experimentId = api.experimentId(experiment);
    JsonNode search = api.post("runs/search", Map.of("experiment_ids", List.of(experimentId),
        "filter", "tags.vqlab.stage = 'train'", "max_results", 10));
    assertEquals(1, search.path("runs").size(), search.toString());
    String trainId = search.path("runs").get(0).get("info").get("run_id").asText();
    assertEquals("FINISHED", api.run(trainId).get("info").get("status").asText());
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      assertEquals(e.getValue(), api.history(trainId, e.getKey()).size(), e.getKey());
    }
  }

  private static long metricLines(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    try (var s = Files.walk(runs)) {
      Path m = s.filter(f -> f.getFileName().toString().equals("metrics.jsonl")).findFirst().orElse(null);
      return m == null ? 0 : Files.readAllLines(m).size();
    }
  }

  private static void waitForLines(Path runs, long lines, Process p) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (metricLines(runs) < lines) {
      assertTrue(p.isAlive(), "vq train ended early");
      assertTrue(System.currentTimeMillis() < deadline, "no progress in metrics.jsonl");
      Thread.sleep(100);
    }
  }
}
