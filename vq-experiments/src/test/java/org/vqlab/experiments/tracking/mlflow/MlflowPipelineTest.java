package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.vqlab.experiments.Vq;

/**
 * `vq pipeline` and a multirun with MLflow on, against the real server at $VQLAB_MLFLOW_URI,
 * checked through the REST API against the run directory.
 */
@Tag("mlflow")
class MlflowPipelineTest {
  /** Relative, as the default output_dir (outputs) is for users. */
  Path out;
  String uri;
  MlflowServerApi api;

  @BeforeEach
  void server() {
    out = Path.of("target", "mlflow-it", Long.toString(System.nanoTime()));
    uri = System.getenv("VQLAB_MLFLOW_URI");
    assumeTrue(uri != null && !uri.isBlank(), "VQLAB_MLFLOW_URI is not set (scripts/mlflow-server url)");
    api = new MlflowServerApi(uri);
  }

  private static final List<String> SMALL = List.of("dataset.subset=512", "model.channels=16",
      "model.residual_channels=8", "quantizer.num_codes=32", "quantizer.code_dim=8",
      "trainer.batch_size=32", "trainer.max_steps=12", "trainer.eval_every=6", "trainer.eval_batches=2",
      "trainer.log_every=2", "trainer.checkpoint_every=6", "trainer.device=cpu");

  private int vq(List<String> args) {
    StringWriter err = new StringWriter();
    int code = Vq.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        args.toArray(String[]::new));
    assertTrue(code == 0 || code == 1, err.toString());
    return code;
  }

  @Test
  void pipelineRunsParamsMetricsTagsAndArtifacts() throws Exception {
    String experiment = "pipeline_it_" + System.nanoTime();
    List<String> args = new ArrayList<>(List.of("pipeline", "tracking=mlflow", "tracking.mlflow.uri=" + uri,
        "name=" + experiment, "output_dir=" + out, "tracking.mlflow.log_checkpoints=true"));
    args.addAll(SMALL);
    args.addAll(List.of("prior.channels=8", "prior.layers=1", "prior.trainer.max_steps=4",
        "prior.trainer.batch_size=32", "prior.trainer.eval_batches=2", "sample.n=4"));
    assertEquals(0, vq(args));
    Path run;
    try (Stream<Path> s = Files.list(out.resolve(experiment))) {
      run = s.findFirst().orElseThrow();
    }

    String experimentId = api.experimentId(experiment);
    JsonNode search = api.post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 100));
    List<JsonNode> parents = new ArrayList<>();
    for (JsonNode r : search.path("runs")) {
      if (!MlflowServerApi.entries(r, "tags").containsKey("mlflow.parentRunId")) {
        parents.add(r);
      }
    }
    assertEquals(1, parents.size(), search.toString());
    JsonNode parent = parents.get(0);
    String parentId = parent.get("info").get("run_id").asText();
    assertEquals("FINISHED", parent.get("info").get("status").asText());
    assertEquals(experiment + " " + run.getFileName(), parent.get("info").get("run_name").asText());

    Map<String, String> params = MlflowServerApi.entries(parent, "params");
    assertEquals("12", params.get("trainer.max_steps"));
    assertEquals("ema", params.get("quantizer.type"));
    assertEquals(uri, params.get("tracking.mlflow.uri"));
    Map<String, String> tags = MlflowServerApi.entries(parent, "tags");
    assertEquals("0.35.1", tags.get("djl.version"));
    assertEquals("2.7.1", tags.get("pytorch.version"));
    assertEquals("cpu()", tags.get("device"));
    assertTrue(tags.containsKey("vqlab.version") && tags.containsKey("mlflow.user"), tags.toString());
    assertEquals(run.toAbsolutePath().toString(), tags.get("vqlab.run_directory"));

    Map<String, JsonNode> children = api.children(experimentId, parentId);
    assertEquals(new java.util.TreeSet<>(List.of("train", "encode", "train-prior", "sample", "eval")),
        new java.util.TreeSet<>(children.keySet()));
    // The eval stage run holds the report's numbers and files, byte for byte.
    JsonNode eval = api.run(children.get("eval").get("info").get("run_id").asText());
    String evalId = eval.get("info").get("run_id").asText();
    JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
    List<JsonNode> total = api.history(evalId, "bits_per_dim/total");
    assertEquals(1, total.size(), "bits_per_dim/total in the eval run");
    assertTrue(total.get(0).get("value").asDouble() > 0);
    assertTrue(report.toString().contains("bits_per_dim/total"), "report.json has bits_per_dim/total");
    Map<String, Long> evalArtifacts = api.artifacts(evalId);
    for (String file : List.of("report.json", "report.md")) {
      assertTrue(evalArtifacts.containsKey(file), file + " not in " + evalArtifacts.keySet());
      assertArrayEquals(Files.readAllBytes(run.resolve(file)),
          api.download(eval.get("info").get("artifact_uri").asText(), file), file);
    }
    // Every figure of the report reached the eval run, under its path relative to the run.
    List<String> figures = new ArrayList<>();
    report.path("figures").forEach(f -> figures.add(f.asText()));
    assertTrue(figures.contains("figures/eval/reconstructions.png"), figures.toString());
    for (String figure : figures) {
      assertTrue(evalArtifacts.containsKey(figure), figure + " not in " + evalArtifacts.keySet());
      assertArrayEquals(Files.readAllBytes(run.resolve(figure)),
          api.download(eval.get("info").get("artifact_uri").asText(), figure), figure);
    }
    JsonNode sample = api.run(children.get("sample").get("info").get("run_id").asText());
    assertTrue(api.artifacts(sample.get("info").get("run_id").asText()).containsKey("samples/samples.png"));
    JsonNode train = api.run(children.get("train").get("info").get("run_id").asText());
    assertEquals("FINISHED", train.get("info").get("status").asText());
    String trainId = train.get("info").get("run_id").asText();

    // Every metric of the train stage in metrics.jsonl, with the same count, steps and last value.
    Map<String, List<JsonNode>> local = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = json.readTree(line);
      if (!m.path("stage").asText().equals("train")) {
        continue;
      }
      local.computeIfAbsent(m.get("name").asText(), k -> new ArrayList<>()).add(m);
    }
    assertTrue(local.size() > 10, local.keySet().toString());
    for (Map.Entry<String, List<JsonNode>> e : local.entrySet()) {
      List<JsonNode> remote = api.history(trainId, e.getKey());
      assertEquals(e.getValue().size(), remote.size(), e.getKey());
      JsonNode lastLocal = e.getValue().get(e.getValue().size() - 1);
      JsonNode lastRemote = remote.get(remote.size() - 1);
      assertEquals(lastLocal.get("step").asLong(), lastRemote.get("step").asLong(), e.getKey());
      assertEquals(lastLocal.get("value").asDouble(), lastRemote.get("value").asDouble(), 0.0, e.getKey());
    }

    // Figures and the final checkpoint on the stage run, the config and provenance on the launch run.
    Map<String, Long> trainArtifacts = api.artifacts(trainId);
    for (String figure : List.of("figures/train_losses.png", "figures/train_codebook_usage.png",
        "figures/reconstructions/step-00000012.png", "checkpoints/step-00000012.ckpt")) {
      assertTrue(trainArtifacts.containsKey(figure), figure + " not in " + trainArtifacts.keySet());
      String local2 = figure.startsWith("checkpoints/") ? "checkpoints/train/" + figure.substring(12) : figure;
      assertArrayEquals(Files.readAllBytes(run.resolve(local2)),
          api.download(train.get("info").get("artifact_uri").asText(), figure), figure);
    }
    Map<String, Long> launchArtifacts = api.artifacts(parentId);
    for (String file : List.of("config.conf", "overrides.txt", "provenance.json")) {
      assertTrue(launchArtifacts.containsKey(file), file + " not in " + launchArtifacts.keySet());
    }
    assertArrayEquals(Files.readAllBytes(run.resolve("config.conf")),
        api.download(api.run(parentId).get("info").get("artifact_uri").asText(), "config.conf"));
  }

  @Test
  void tokenFromTheEnvironmentIsInNoFileParamOrTag() throws Exception {
    String token = "vqlab-secret-" + System.nanoTime();
    String experiment = "token_it_" + System.nanoTime();
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dvqlab.home=" + System.getProperty("vqlab.home"), "-cp", System.getProperty("java.class.path"),
        Vq.class.getName(), "train", "name=" + experiment, "output_dir=" + out));
    cmd.addAll(SMALL);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // MLflow is switched on by the environment alone, as a user would.
    pb.environment().put("MLFLOW_TRACKING_URI", uri);
    pb.environment().put("MLFLOW_TRACKING_TOKEN", token);
    Process p = pb.start();
    String console = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), console);
    assertFalse(console.contains(token));
    byte[] secret = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Path> files;
    try (Stream<Path> s = Files.walk(out.resolve(experiment))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() > 8, files.toString());
    for (Path f : files) {
      assertFalse(contains(Files.readAllBytes(f), secret), f + " holds the token");
    }
    String experimentId = api.experimentId(experiment);
    JsonNode search = api.post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 100));
    assertEquals(2, search.path("runs").size(), search.toString());
    for (JsonNode r : search.path("runs")) {
      for (String kind : List.of("params", "tags")) {
        MlflowServerApi.entries(r, kind).forEach((k, v) ->
            assertFalse(k.contains(token) || v.contains(token), kind + " " + k + " holds the token"));
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * A two-job sweep of the pipeline, compared as a researcher would in MLflow's table: each job's
   * launch run holds the headline results, the dataset input and system metrics, and the runs
   * sort by bits/dim on the server.
   */
  @Test
  void sweepJobsCompareByBitsPerDimOnTheirLaunchRuns() throws Exception {
    String experiment = "compare_it_" + System.nanoTime();
    List<String> args = new ArrayList<>(List.of("pipeline", "-m", "--multirun-dir=" + out.resolve("multirun"),
        "tracking=mlflow", "tracking.mlflow.uri=" + uri, "name=" + experiment, "output_dir=" + out,
        "seed=1,2"));
    args.addAll(SMALL);
    args.addAll(List.of("prior.channels=8", "prior.layers=1", "prior.trainer.max_steps=4",
        "prior.trainer.batch_size=32", "prior.trainer.eval_batches=2", "sample.n=4"));
    assertEquals(0, vq(args));
    String experimentId = api.experimentId(experiment);
    JsonNode exp = api.get("/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId);
    Map<String, String> experimentTags = new TreeMap<>();
    exp.get("experiment").path("tags").forEach(t -> experimentTags.put(t.get("key").asText(), t.get("value").asText()));
    assertEquals("custom_model_development", experimentTags.get("mlflow.experimentKind"), exp.toString());

    JsonNode search = api.post("runs/search", Map.of("experiment_ids", List.of(experimentId),
        "order_by", List.of("metrics.`bits_per_dim/total` ASC"), "max_results", 100));
    List<JsonNode> jobs = new ArrayList<>();
    for (JsonNode r : search.path("runs")) {
      if (r.get("info").get("run_name").asText().startsWith("job ")) {
        jobs.add(r);
      }
    }
    assertEquals(2, jobs.size(), search.toString());
    ObjectMapper json = new ObjectMapper();
    double previous = Double.NEGATIVE_INFINITY;
    for (JsonNode job : jobs) {
      Map<String, Double> metrics = new TreeMap<>();
      job.get("data").path("metrics").forEach(m -> metrics.put(m.get("key").asText(), m.get("value").asDouble()));
      Path dir = Path.of(MlflowServerApi.entries(job, "tags").get("vqlab.run_directory"));
      JsonNode values = json.readTree(dir.resolve("report.json").toFile()).path("metrics");
      // Every headline number of the report, as report.json has it.
      for (String family : List.of("bits_per_dim", "reconstruction", "codebook_usage")) {
        values.path(family).path("values").fields().forEachRemaining(e -> {
          if (e.getValue().path("value").isNumber()) {
            assertEquals(e.getValue().path("value").asDouble(), metrics.get(e.getKey()), 1e-9,
                e.getKey() + " on " + job.get("info").get("run_name").asText() + ": " + metrics.keySet());
          }
        });
      }
      for (String key : List.of("bits_per_dim/total", "bits_per_dim/reconstruction", "bits_per_dim/prior",
          "reconstruction/mse", "reconstruction/psnr", "reconstruction/ssim",
          "codebook_usage/bottom/codes_used", "codebook_usage/bottom/perplexity", "train/time_seconds",
          "prior/bottom/test/bits_per_code",
          "system/process_cpu_utilization_percentage", "system/process_memory_rss_megabytes")) {
        assertTrue(metrics.containsKey(key), key + " not on the launch run: " + metrics.keySet());
      }
      assertTrue(metrics.get("train/time_seconds") > 0);
      assertTrue(metrics.get("system/process_memory_rss_megabytes") > 50, metrics.toString());
      double bits = metrics.get("bits_per_dim/total");
      assertTrue(bits >= previous, "runs/search did not order by bits_per_dim/total");
      previous = bits;
      // The dataset as the run's input: name, digest, and the split sizes in its profile.
      JsonNode inputs = job.path("inputs").path("dataset_inputs");
      assertEquals(1, inputs.size(), job.toString());
      JsonNode dataset = inputs.get(0).get("dataset");
      assertEquals("fashion_mnist", dataset.get("name").asText());
      assertEquals(16, dataset.get("digest").asText().length());
      JsonNode profile = json.readTree(dataset.get("profile").asText());
      assertEquals(512, profile.get("train_items").asLong());
      assertEquals(values.path("reconstruction").path("values").path("reconstruction/items").path("value").asLong(),
          profile.get("test_items").asLong(), profile.toString());
      assertTrue(dataset.get("source").asText().contains("\"subset\":512"), dataset.toString());
    }
    System.out.println("sweep launch runs: " + api.runPage(experimentId,
        jobs.get(0).get("info").get("run_id").asText()));
  }

  @Test
  void multirunHasOneParentWithAChildPerJob() throws Exception {
    String experiment = "sweep_it_" + System.nanoTime();
    List<String> args = new ArrayList<>(List.of("prepare", "-m", "--multirun-dir=" + out.resolve("multirun"),
        "tracking=mlflow", "tracking.mlflow.uri=" + uri, "name=" + experiment,
        "output_dir=" + out, "seed=1,2,3"));
    assertEquals(0, vq(args));
    String experimentId = api.experimentId(experiment);
    JsonNode search = api.post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 100));
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode r : search.path("runs")) {
      byName.put(r.get("info").get("run_name").asText(), r);
    }
    List<String> sweeps = byName.keySet().stream().filter(n -> n.startsWith("sweep ")).toList();
    assertEquals(1, sweeps.size(), byName.keySet().toString());
    String sweepId = byName.get(sweeps.get(0)).get("info").get("run_id").asText();
    Map<String, JsonNode> jobs = api.children(experimentId, sweepId);
    assertEquals(List.of("job 0: seed=1", "job 1: seed=2", "job 2: seed=3"),
        jobs.keySet().stream().sorted().toList());
    for (JsonNode job : jobs.values()) {
      assertEquals("FINISHED", job.get("info").get("status").asText());
      // Each job's launch run has its stage run below it.
      Map<String, JsonNode> stages = api.children(experimentId, job.get("info").get("run_id").asText());
      assertEquals(List.of("prepare"), new ArrayList<>(stages.keySet()));
    }
    assertFalse(byName.get(sweeps.get(0)).get("info").get("status").asText().equals("RUNNING"));
  }
}
