package org.vqlab.experiments.tracking.mlflow;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code tracking.mlflow} section. MLflow tracking is on when {@code uri} is non-empty.
 * Credentials are deliberately not here: they come only from the environment (see
 * {@link MlflowCredentials}), so they never reach the resolved config, params or provenance.
 */
public record MlflowTrackingConfig(String uri, String experiment, boolean logCheckpoints,
    double connectTimeoutSeconds, double requestTimeoutSeconds, double artifactTimeoutSeconds,
    double finishTimeoutSeconds, double maxRetryDelaySeconds, int maxQueuedMetrics,
    int metricsPerBatch, int maxValueLength) {

  /** MLflow's log-batch limit on metrics per request (also the limit on all entities). */
  public static final int MAX_METRICS_PER_BATCH = 1000;
  /**
   * MLflow's limit on param values (MAX_PARAM_VAL_LENGTH in mlflow/utils/validation.py): 6000 in the
   * pinned server 3.17.2, raised from 500 by mlflow/mlflow#9709 (MLflow 2.8); older servers need 500.
   */
  public static final int MAX_PARAM_VALUE_LENGTH = 6000;

  public MlflowTrackingConfig {
    uri = uri == null ? "" : uri.strip();
    if (!uri.isEmpty()) {
      URI parsed;
      try {
        parsed = new URI(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("uri '" + uri + "' is not a URI: " + e.getMessage());
      }
      if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
        throw new IllegalArgumentException("uri must be an http:// or https:// tracking server, got '"
            + uri + "'");
      }
      if (parsed.getRawUserInfo() != null) {
        // The URI is logged as a param; a password in it would be published with the run.
        throw new IllegalArgumentException("uri must not contain credentials; set "
            + "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN instead");
      }
      if (experiment == null || experiment.isBlank()) {
        throw new IllegalArgumentException("experiment must name an MLflow experiment");
      }
    }
    positive("connect_timeout_seconds", connectTimeoutSeconds);
    positive("request_timeout_seconds", requestTimeoutSeconds);
    positive("artifact_timeout_seconds", artifactTimeoutSeconds);
    if (finishTimeoutSeconds < 0) {
      throw new IllegalArgumentException("finish_timeout_seconds must be >= 0, got " + finishTimeoutSeconds);
    }
    positive("max_retry_delay_seconds", maxRetryDelaySeconds);
    if (maxQueuedMetrics < MAX_METRICS_PER_BATCH) {
      throw new IllegalArgumentException("max_queued_metrics must be >= " + MAX_METRICS_PER_BATCH
          + ", got " + maxQueuedMetrics);
    }
    if (metricsPerBatch < 1 || metricsPerBatch > MAX_METRICS_PER_BATCH) {
      throw new IllegalArgumentException("metrics_per_batch must be in [1, " + MAX_METRICS_PER_BATCH
          + "] (the server's log-batch limit), got " + metricsPerBatch);
    }
    if (maxValueLength < 100 || maxValueLength > MAX_PARAM_VALUE_LENGTH) {
      throw new IllegalArgumentException("max_value_length must be in [100, " + MAX_PARAM_VALUE_LENGTH
          + "], got " + maxValueLength);
    }
  }

  private static void positive(String key, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(key + " must be > 0, got " + value);
    }
  }

  public boolean enabled() {
    return !uri.isEmpty();
  }
}
