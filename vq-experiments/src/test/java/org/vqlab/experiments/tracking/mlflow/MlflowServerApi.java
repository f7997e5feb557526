package org.vqlab.experiments.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads back what the tracker wrote, through MLflow's REST API (independently of the tracker). */
final class MlflowServerApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String uri;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  MlflowServerApi(String uri) {
    this.uri = uri.replaceAll("/+$", "");
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private byte[] getBytes(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + pathAndQuery + ": HTTP " + r.statusCode() + " "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body();
  }

  JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    return JSON.readTree(getBytes(pathAndQuery));
  }

  JsonNode post(String endpoint, Object body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + endpoint))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("POST " + endpoint + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** runs/get: {"info": ..., "data": {"params": [...], "tags": [...]}}. */
  JsonNode run(String runId) throws IOException, InterruptedException {
    return get("/api/2.0/mlflow/runs/get?run_id=" + q(runId)).get("run");
  }

  String experimentId(String name) throws IOException, InterruptedException {
    return get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + q(name))
        .get("experiment").get("experiment_id").asText();
  }

  /** The runs whose mlflow.parentRunId is {@code parentId}, by run name. */
  Map<String, JsonNode> children(String experimentId, String parentId) throws IOException, InterruptedException {
    JsonNode r = post("runs/search", Map.of("experiment_ids", List.of(experimentId),
        "filter", "tags.mlflow.parentRunId = '" + parentId + "'", "max_results", 1000));
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode run : r.path("runs")) {
      out.put(run.get("info").get("run_name").asText(), run);
    }
    return out;
  }

  static Map<String, String> entries(JsonNode run, String kind) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode e : run.get("data").path(kind)) {
      out.put(e.get("key").asText(), e.get("value").asText());
    }
    return out;
  }

  /** Every point of a metric, in the server's order (by step, then time). */
  List<JsonNode> history(String runId, String key) throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    String token = "";
    do {
      JsonNode r = get("/api/2.0/mlflow/metrics/get-history?run_id=" + q(runId) + "&metric_key=" + q(key)
          + "&max_results=25000" + (token.isEmpty() ? "" : "&page_token=" + q(token)));
      r.path("metrics").forEach(out::add);
      token = r.path("next_page_token").asText("");
    } while (!token.isEmpty());
    return out;
  }

  /** Artifact paths (files only) under the run's root, recursively, with their sizes. */
  Map<String, Long> artifacts(String runId) throws IOException, InterruptedException {
    Map<String, Long> out = new LinkedHashMap<>();
    listInto(runId, "", out);
    return out;
  }

  private void listInto(String runId, String path, Map<String, Long> out) throws IOException, InterruptedException {
    JsonNode r = get("/api/2.0/mlflow/artifacts/list?run_id=" + q(runId) + (path.isEmpty() ? "" : "&path=" + q(path)));
    for (JsonNode f : r.path("files")) {
      if (f.path("is_dir").asBoolean()) {
        listInto(runId, f.get("path").asText(), out);
      } else {
        out.put(f.get("path").asText(), f.path("file_size").asLong());
      }
    }
  }

  /** The bytes of an artifact, downloaded through the artifact proxy. */
  byte[] download(String artifactUri, String path) throws IOException, InterruptedException {
    String root = URI.create(artifactUri).getPath();
    String encoded = String.join("/", java.util.Arrays.stream(path.split("/"))
        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")).toList());
    return getBytes("/api/2.0/mlflow-artifacts/artifacts" + root + "/" + encoded);
  }

  /** The UI address of a run's page. */
  String runPage(String experimentId, String runId) {
    return uri.replaceAll("/+$", "") + "/#/experiments/" + experimentId + "/runs/" + runId;
  }
}
