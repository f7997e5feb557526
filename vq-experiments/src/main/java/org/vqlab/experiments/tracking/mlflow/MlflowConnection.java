package org.vqlab.experiments.tracking.mlflow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.vqlab.core.tracking.RunStatus;

/**
 * One tracking server: the MLflow Java client for experiments, runs, params and tags, and
 * {@link MlflowRest} (with timeouts) for metric batches and artifact uploads. Calls block; the
 * tracker makes them from its sender thread, never from the training loop.
 */
final class MlflowConnection implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  final MlflowTrackingConfig config;
  final MlflowCredentials credentials;
  private final MlflowClient client;
  private final MlflowRest rest;
  private volatile String experimentId;

  MlflowConnection(MlflowTrackingConfig config, MlflowCredentials credentials) {
    this.config = config;
    this.credentials = credentials;
    this.client = new MlflowClient(credentials.hostCredsProvider(config.uri()));
    this.rest = new MlflowRest(config, credentials);
  }

  /** A run as the server created it. */
  record CreatedRun(String id, String artifactUri) {}

  /** An error that retrying cannot fix (bad request, deleted experiment, missing file). */
  static final class PermanentFailure extends RuntimeException {
    PermanentFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Whether {@code e} may go away by itself: the server down, restarting, overloaded or slow.
   * Anything else (4xx answers, a file that is gone) fails the same way on every retry.
   */
  static boolean retriable(Throwable e) {
    if (e instanceof PermanentFailure) {
      return false;
    }
    if (e instanceof MlflowRest.HttpError h) {
      return h.retriable();
    }
    if (e instanceof MlflowHttpException h) {
      return h.getStatusCode() == 408 || h.getStatusCode() == 429 || h.getStatusCode() >= 500;
    }
    if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException) {
      return false;
    }
    if (e instanceof IOException) {
      return true;
    }
    // The Java client wraps connection errors (refused, reset) in MlflowClientException.
    return e instanceof MlflowClientException && e.getCause() instanceof IOException;
  }

  /** The id of the configured experiment, created if it does not exist yet. */
  String experimentId() {
    String id = experimentId;
    if (id != null) {
      return id;
    }
    synchronized (this) {
      if (experimentId == null) {
        experimentId = findOrCreateExperiment(config.experiment());
      }
      return experimentId;
    }
  }

  /**
   * Looks the name up with a search rather than get-by-name: the Java client answers a missing
   * experiment's 404 with three retries and a warning each.
   */
  private Optional<Service.Experiment> findExperiment(String name) {
    if (name.contains("'")) {
      return client.getExperimentByName(name);
    }
    return client.searchExperiments("name = '" + name + "'").getItems().stream()
        .filter(e -> e.getName().equals(name)).findFirst();
  }

  private String findOrCreateExperiment(String name) {
    Optional<Service.Experiment> found = findExperiment(name);
    if (found.isEmpty()) {
      try {
        String id = client.createExperiment(name);
        client.setExperimentTag(id, EXPERIMENT_KIND, MODEL_TRAINING);
        return id;
      } catch (MlflowHttpException e) {
        // Another job of the same sweep may have created it a moment ago.
        if (e.getStatusCode() != 400 || !String.valueOf(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
          throw e;
        }
        found = client.getExperimentByName(name);
        if (found.isEmpty()) {
          throw e;
        }
      }
    }
    Service.Experiment experiment = found.get();
    if ("deleted".equals(experiment.getLifecycleStage())) {
      throw new PermanentFailure("MLflow experiment '" + name + "' is deleted; restore it in MLflow "
          + "or set tracking.mlflow.experiment to another name", null);
    }
    markAsModelTraining(experiment);
    return experiment.getExperimentId();
  }

  /**
   * MLflow 3's UI sorts experiments into model training and GenAI by this experiment tag, and
   * asks the user when it is missing; a kind the user chose is kept.
   */
  private void markAsModelTraining(Service.Experiment experiment) {
    boolean tagged = experiment.getTagsList().stream().anyMatch(t -> t.getKey().equals(EXPERIMENT_KIND));
    if (!tagged) {
      client.setExperimentTag(experiment.getExperimentId(), EXPERIMENT_KIND, MODEL_TRAINING);
    }
  }

  /** The experiment tag MLflow 3 reads, and its value for model training. */
  static final String EXPERIMENT_KIND = "mlflow.experimentKind";
  static final String MODEL_TRAINING = "custom_model_development";

  /**
   * The dataset as an input of the run (runs/log-inputs; the pinned Java client 2.17.2 has the
   * protos but no call for it): its splits' sizes are the profile, the context tag says training.
   */
  void logDataset(String runId, org.vqlab.core.tracking.DatasetInput dataset)
      throws IOException, InterruptedException {
    rest.post("runs/log-inputs", inputsJson(runId, dataset));
  }

  static String inputsJson(String runId, org.vqlab.core.tracking.DatasetInput dataset) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      StringWriter profile = new StringWriter();
      try (JsonGenerator p = JSON.createGenerator(profile)) {
        p.writeStartObject();
        for (Map.Entry<String, Long> e : dataset.splits().entrySet()) {
          p.writeNumberField(e.getKey() + "_items", e.getValue());
        }
        p.writeEndObject();
      }
      g.writeStartObject();
      g.writeStringField("run_id", runId);
      g.writeArrayFieldStart("datasets");
      g.writeStartObject();
      g.writeArrayFieldStart("tags");
      g.writeStartObject();
      g.writeStringField("key", "mlflow.data.context");
      g.writeStringField("value", "training");
      g.writeEndObject();
      g.writeEndArray();
      g.writeObjectFieldStart("dataset");
      g.writeStringField("name", dataset.name());
      g.writeStringField("digest", dataset.digest());
      g.writeStringField("source_type", "vqlab");
      g.writeStringField("source", dataset.source());
      g.writeStringField("profile", profile.toString());
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  CreatedRun createRun(String runName, long startTime, Map<String, String> tags) {
    Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
        .setExperimentId(experimentId())
        .setRunName(runName)
        .setStartTime(startTime);
    String user = tags.get("mlflow.user");
    if (user != null) {
      request.setUserId(user);
    }
    tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    Service.RunInfo info = client.createRun(request.build());
    return new CreatedRun(info.getRunId(), info.getArtifactUri());
  }

  void logParams(String runId, List<Map.Entry<String, String>> params) {
    List<Service.Param> batch = new ArrayList<>();
    params.forEach(e -> batch.add(Service.Param.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build()));
    client.logBatch(runId, List.of(), batch, List.of());
  }

  void setTags(String runId, List<Map.Entry<String, String>> tags) {
    List<Service.RunTag> batch = new ArrayList<>();
    tags.forEach(e -> batch.add(Service.RunTag.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build()));
    client.logBatch(runId, List.of(), List.of(), batch);
  }

  void endRun(String runId, RunStatus status, long endTime) {
    client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTime);
  }

  /** One metric point as queued by the tracker. */
  record Point(String key, double value, long step, long timestamp) {}

  /** One log-batch request; the caller keeps it within the server's limits. */
  void logMetrics(String runId, List<Point> points) throws IOException, InterruptedException {
    rest.post("runs/log-batch", metricBatchJson(runId, points));
  }

  static String metricBatchJson(String runId, List<Point> points) {
    StringWriter out = new StringWriter(64 + 80 * points.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("run_id", runId);
      g.writeArrayFieldStart("metrics");
      for (Point p : points) {
        g.writeStartObject();
        g.writeStringField("key", p.key());
        if (Double.isFinite(p.value())) {
          g.writeNumberField("value", p.value());
        } else {
          // Protobuf's JSON mapping spells these as strings; the server parses them.
          g.writeStringField("value", Double.isNaN(p.value()) ? "NaN"
              : p.value() > 0 ? "Infinity" : "-Infinity");
        }
        g.writeNumberField("timestamp", p.timestamp());
        g.writeNumberField("step", p.step());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  void uploadArtifact(String artifactUri, String relativePath, Path file) throws IOException, InterruptedException {
    rest.upload(artifactUri, relativePath, file);
  }

  @Override
  public void close() {
    client.close();
  }
}
