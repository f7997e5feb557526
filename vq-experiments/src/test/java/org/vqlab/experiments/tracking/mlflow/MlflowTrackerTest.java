package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.RunStatus;

/**
 * Against the real server at $VQLAB_MLFLOW_URI (scripts/mlflow-server start): everything the
 * tracker logs is read back through the REST API and compared with what was logged.
 */
@Tag("mlflow")
class MlflowTrackerTest {
  private static String uri;
  private static MlflowServerApi api;

  @BeforeAll
  static void server() {
    uri = System.getenv("VQLAB_MLFLOW_URI");
    assumeTrue(uri != null && !uri.isBlank(), "VQLAB_MLFLOW_URI is not set (scripts/mlflow-server url)");
    api = new MlflowServerApi(uri);
  }

  private static String experiment() {
    return "vqlab-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static double loss(long step) {
    return 1.0 / (1 + step);
  }

  @Test
  void launchWithTwoStagesLandsCompletelyInMlflow(@TempDir Path dir) throws Exception {
    String experiment = experiment();
    String token = "tok-" + UUID.randomUUID();
    String longNotes = "n".repeat(7000);
    RunInfo run = MlflowTestRuns.run(dir, "name = demo\n"
        + "model { notes = \"" + longNotes + "\", num_codes = 512 }\n"
        + "trainer { lr = 0.001, betas = [0.9, 0.999] }\n"
        + "leaked = \"Bearer " + token + "\"\n",
        "demo 2026-11-22 16:10:00",
        Map.of("vqlab.version", "0.1.0", "git.commit", "abc123", "djl.version", "0.35.1",
            "pytorch.version", "2.7.1", "device", "cpu", "leak", token),
        Map.of());
    MlflowCredentials credentials = MlflowCredentials.from(Map.of(MlflowCredentials.TOKEN, token));
    MlflowTracker tracker = new MlflowTracker(MlflowTestRuns.config(uri, experiment), credentials, run);

    Map<String, Path> artifacts = new LinkedHashMap<>();
    tracker.stageStarted("train");
    for (long step = 0; step < 2500; step++) {
      tracker.logMetric("train/loss", loss(step), step, 1_700_000_000_000L + step);
      if (step % 10 == 0) {
        tracker.logMetric("train/lr", 1e-3 * step, step, 1_700_000_000_000L + step);
      }
    }
    tracker.logMetric("train/grad_norm", Double.NaN, 0, 1_700_000_000_000L);
    tracker.logMetric("train/grad_norm", 2.5, 1, 1_700_000_000_001L);
    byte[] grid = new byte[300_000];
    new Random(7).nextBytes(grid);
    artifacts.put("samples/grid 0.png", write(dir.resolve("grid 0.png"), grid));
    tracker.logArtifact(dir.resolve("grid 0.png"), "samples");
    Path plots = Files.createDirectories(dir.resolve("plots"));
    artifacts.put("plots/loss.csv", write(plots.resolve("loss.csv"), "step,loss\n0,1.0\n".getBytes(StandardCharsets.UTF_8)));
    artifacts.put("plots/deep/lr.csv", write(Files.createDirectories(plots.resolve("deep")).resolve("lr.csv"),
        "step,lr\n".getBytes(StandardCharsets.UTF_8)));
    tracker.logArtifact(plots, "");
    // log_checkpoints = false: kept in the run directory only.
    tracker.logArtifact(write(dir.resolve("step-100.ckpt"), new byte[] {9}), "checkpoints");
    tracker.setTags(Map.of("best_step", "2499"));
    tracker.stageEnded(RunStatus.FINISHED);

    tracker.stageStarted("eval");
    for (long step = 0; step < 10; step++) {
      tracker.logMetric("eval/bits_per_dim", 3.0 + step / 10.0, step, 1_700_000_100_000L + step);
    }
    Path report = write(dir.resolve("report.md"), "# Report\nbits/dim 3.9\n".getBytes(StandardCharsets.UTF_8));
    tracker.logArtifact(report, "/");
    tracker.stageEnded(RunStatus.FAILED);
    tracker.logMetric("total_time", 12.5, 0, 1_700_000_200_000L);

    assertEquals("", tracker.finish(RunStatus.FINISHED));
    String launchId = tracker.launchRunId().orElseThrow();

    // The launch run: name, status, params (truncated, redacted), tags.
    JsonNode launch = api.run(launchId);
    assertEquals("demo 2026-11-22 16:10:00", launch.get("info").get("run_name").asText());
    assertEquals("FINISHED", launch.get("info").get("status").asText());
    Map<String, String> params = MlflowServerApi.entries(launch, "params");
    assertEquals(run.params().keySet(), params.keySet());
    assertEquals("512", params.get("model.num_codes"));
    assertEquals("[0.9,0.999]", params.get("trainer.betas"));
    String notes = params.get("model.notes");
    assertEquals(6000, notes.length());
    assertEquals("n".repeat(6000 - 27) + "... [truncated, 7000 chars]", notes);
    assertEquals(MlflowLimits.REDACTED, params.get("leaked"));
    Map<String, String> tags = MlflowServerApi.entries(launch, "tags");
    assertEquals("abc123", tags.get("git.commit"));
    assertEquals("cpu", tags.get("device"));
    assertEquals("0.35.1", tags.get("djl.version"));
    assertEquals("vq trainer.lr=0.001", tags.get("mlflow.source.name"));
    assertEquals(System.getProperty("user.name"), tags.get("mlflow.user"));
    assertEquals(MlflowLimits.REDACTED, tags.get("leak"));
    assertFalse(tags.containsKey("mlflow.parentRunId"));
    assertNoSecret(launch, token);
    assertEquals(12.5, single(api.history(launchId, "total_time")));

    // One child per stage, with the same params and the stage's status.
    String experimentId = api.experimentId(experiment);
    Map<String, JsonNode> stages = api.children(experimentId, launchId);
    assertEquals(Set.of("train", "eval"), stages.keySet());
    JsonNode train = api.run(stages.get("train").get("info").get("run_id").asText());
    JsonNode eval = api.run(stages.get("eval").get("info").get("run_id").asText());
    assertEquals("FINISHED", train.get("info").get("status").asText());
    assertEquals("FAILED", eval.get("info").get("status").asText());
    assertEquals(params, MlflowServerApi.entries(train, "params"));
    assertEquals(params, MlflowServerApi.entries(eval, "params"));
    Map<String, String> trainTags = MlflowServerApi.entries(train, "tags");
    assertEquals("train", trainTags.get("vqlab.stage"));
    assertEquals("2499", trainTags.get("best_step"));
    assertEquals("abc123", trainTags.get("git.commit"));
    assertNoSecret(train, token);
    assertNoSecret(eval, token);

    // Every metric point, with its step and value.
    String trainId = train.get("info").get("run_id").asText();
    List<JsonNode> lossHistory = api.history(trainId, "train/loss");
    assertEquals(2500, lossHistory.size());
    for (JsonNode p : lossHistory) {
      assertEquals(loss(p.get("step").asLong()), p.get("value").asDouble(), 0.0);
    }
    assertEquals(2499, lossHistory.get(lossHistory.size() - 1).get("step").asLong());
    List<JsonNode> lr = api.history(trainId, "train/lr");
    assertEquals(250, lr.size());
    assertEquals(1e-3 * 2490, lr.get(lr.size() - 1).get("value").asDouble(), 1e-12);
    List<JsonNode> grad = api.history(trainId, "train/grad_norm");
    assertEquals(List.of("NaN", "2.5"), grad.stream().map(p -> p.get("value").asText()).toList());
    String evalId = eval.get("info").get("run_id").asText();
    List<JsonNode> bpd = api.history(evalId, "eval/bits_per_dim");
    assertEquals(10, bpd.size());
    assertEquals(3.9, bpd.get(9).get("value").asDouble(), 1e-12);

    // Artifacts: the listing and bytes identical to the local files.
    assertEquals(sizes(artifacts), api.artifacts(trainId));
    String trainArtifacts = train.get("info").get("artifact_uri").asText();
    for (Map.Entry<String, Path> a : artifacts.entrySet()) {
      assertArrayEquals(Files.readAllBytes(a.getValue()), api.download(trainArtifacts, a.getKey()), a.getKey());
    }
    assertEquals(Map.of("report.md", Files.size(report)), api.artifacts(evalId));
    assertArrayEquals(Files.readAllBytes(report),
        api.download(eval.get("info").get("artifact_uri").asText(), "report.md"));
  }

  @Test
  void sweepParentRunHoldsTheJobsLaunchRuns(@TempDir Path dir) throws Exception {
    String experiment = experiment();
    MlflowTrackingConfig config = MlflowTestRuns.config(uri, experiment);
    MlflowSweep sweep = MlflowSweep.start(config, MlflowCredentials.none(), "sweep 2026-11-22 16:10:00",
        Map.of("sweep", "seed=1,2"), Map.of("git.commit", "abc123")).orElseThrow();
    List<String> jobIds = new ArrayList<>();
    for (int job = 0; job < 2; job++) {
      String name = MlflowSweep.jobRunName(job, List.of("quantizer=ema", "seed=" + (job + 1)));
      RunInfo run = MlflowTestRuns.run(dir.resolve("job" + job), "name = demo\nseed = " + (job + 1),
          name, Map.of(), sweep.parentIds());
      MlflowTracker tracker = new MlflowTracker(config, MlflowCredentials.none(), run);
      tracker.stageStarted("train");
      for (int step = 0; step < 5; step++) {
        tracker.logMetric("train/loss", job + step, step, 1_700_000_000_000L + step);
      }
      tracker.stageEnded(RunStatus.FINISHED);
      assertEquals("", tracker.finish(job == 0 ? RunStatus.FINISHED : RunStatus.KILLED));
      jobIds.add(tracker.launchRunId().orElseThrow());
    }
    assertEquals("", sweep.end(RunStatus.FINISHED));

    JsonNode parent = api.run(sweep.runId());
    assertEquals("FINISHED", parent.get("info").get("status").asText());
    assertEquals("sweep 2026-11-22 16:10:00", parent.get("info").get("run_name").asText());
    assertEquals(Map.of("sweep", "seed=1,2"), MlflowServerApi.entries(parent, "params"));
    String experimentId = api.experimentId(experiment);
    Map<String, JsonNode> jobs = api.children(experimentId, sweep.runId());
    assertEquals(Set.of("job 0: quantizer=ema seed=1", "job 1: quantizer=ema seed=2"), jobs.keySet());
    assertEquals("KILLED", api.run(jobIds.get(1)).get("info").get("status").asText());
    for (int job = 0; job < 2; job++) {
      Map<String, JsonNode> stages = api.children(experimentId, jobIds.get(job));
      assertEquals(Set.of("train"), stages.keySet());
      List<JsonNode> h = api.history(stages.get("train").get("info").get("run_id").asText(), "train/loss");
      assertEquals(5, h.size());
      assertEquals(job + 4.0, h.get(4).get("value").asDouble(), 0.0);
    }
  }

  /**
   * The real environment path, in a child JVM: MLFLOW_TRACKING_TOKEN and MLFLOW_TRACKING_URI come
   * from the environment, the config copies the token into a key, and MLflow never shows it.
   */
  @Test
  void tokenFromTheEnvironmentNeverReachesParamsOrTags(@TempDir Path dir) throws Exception {
    String experiment = experiment();
    String token = "envtok-" + UUID.randomUUID();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        MlflowEnvLaunch.class.getName(), experiment, dir.toString(), System.getProperty("vqlab.home", ""))
        .redirectErrorStream(true);
    pb.environment().put(MlflowCredentials.TOKEN, token);
    pb.environment().put("MLFLOW_TRACKING_URI", uri);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertFalse(out.contains(token), out);
    String launchId = out.lines().filter(l -> l.startsWith("launch run ")).findFirst()
        .orElseThrow(() -> new AssertionError(out)).substring("launch run ".length()).strip();
    JsonNode launch = api.run(launchId);
    Map<String, String> params = MlflowServerApi.entries(launch, "params");
    assertEquals(MlflowLimits.REDACTED, params.get("copied_token"));
    assertEquals(uri, params.get("tracking.mlflow.uri"));
    assertEquals("FINISHED", launch.get("info").get("status").asText());
    assertNoSecret(launch, token);
    for (JsonNode stage : api.children(api.experimentId(experiment), launchId).values()) {
      assertNoSecret(api.run(stage.get("info").get("run_id").asText()), token);
    }
  }

  private static void assertNoSecret(JsonNode run, String secret) {
    for (String kind : List.of("params", "tags")) {
      MlflowServerApi.entries(run, kind).forEach((k, v) ->
          assertFalse(k.contains(secret) || v.contains(secret), kind + " " + k + " holds the secret"));
    }
  }

  private static double single(List<JsonNode> history) {
    assertEquals(1, history.size());
    return history.get(0).get("value").asDouble();
  }

  private static Path write(Path file, byte[] bytes) throws IOException {
    return Files.write(file, bytes);
  }

  private static Map<String, Long> sizes(Map<String, Path> files) throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Map.Entry<String, Path> e : files.entrySet()) {
      out.put(e.getKey(), Files.size(e.getValue()));
    }
    return out;
  }
}
