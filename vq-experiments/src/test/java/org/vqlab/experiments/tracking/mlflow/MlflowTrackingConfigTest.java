package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.tracking.RunInfo;

class MlflowTrackingConfigTest {
  private static final MlflowTrackerFactory FACTORY = new MlflowTrackerFactory();

  /**
   * The tracking section of a launch with {@code tracking=<option>}, composed as the command line
   * does (the option file and the plugin's own tracking.mlflow section), plus HOCON overrides.
   */
  private static Section tracking(String option, String overrides) {
    Config composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader()))
        .compose(List.of("tracking=" + option, "name=demo")).config();
    Config config = ConfigFactory.parseString(overrides).withFallback(composed).resolve();
    return Section.root(config).child("tracking");
  }

  @Test
  void defaultsOfTheShippedOptions() {
    MlflowTrackingConfig expected = new MlflowTrackingConfig("http://127.0.0.1:5000", "demo", false,
        10, 30, 600, 120, 30, 200_000, 1000, 6000);
    if (System.getenv("MLFLOW_TRACKING_URI") == null) {
      assertEquals(expected, FACTORY.validate(tracking("mlflow", "")));
      MlflowTrackingConfig local = FACTORY.validate(tracking("local", ""));
      assertEquals("", local.uri());
      assertEquals(false, local.enabled());
      // Both options get the plugin's one tracking.mlflow section; they differ only in the server.
      assertEquals(expected, new MlflowTrackingConfig("http://127.0.0.1:5000", local.experiment(),
          local.logCheckpoints(), local.connectTimeoutSeconds(), local.requestTimeoutSeconds(),
          local.artifactTimeoutSeconds(), local.finishTimeoutSeconds(), local.maxRetryDelaySeconds(),
          local.maxQueuedMetrics(), local.metricsPerBatch(), local.maxValueLength()));
    }
  }

  @Test
  void everyKeyMapsToItsComponent() {
    MlflowTrackingConfig c = FACTORY.validate(tracking("mlflow", "tracking.mlflow {\n"
        + "uri = \"https://mlflow.example.org/base\", experiment = vq2, log_checkpoints = true,\n"
        + "connect_timeout_seconds = 1.5, request_timeout_seconds = 2, artifact_timeout_seconds = 3,\n"
        + "finish_timeout_seconds = 4, max_retry_delay_seconds = 5, max_queued_metrics = 6000,\n"
        + "metrics_per_batch = 7, max_value_length = 500 }"));
    assertEquals(new MlflowTrackingConfig("https://mlflow.example.org/base", "vq2", true, 1.5, 2, 3, 4, 5,
        6000, 7, 500), c);
  }

  @Test
  void invalidValuesNameTheirKey() {
    ConfigError userInfo = assertThrows(ConfigError.class, () -> FACTORY.validate(
        tracking("mlflow", "tracking.mlflow.uri = \"http://bob:pw@host:5000\"")));
    assertTrue(userInfo.getMessage().contains("'tracking.mlflow'")
        && userInfo.getMessage().contains("must not contain credentials"), userInfo.getMessage());
    ConfigError batch = assertThrows(ConfigError.class, () -> FACTORY.validate(
        tracking("mlflow", "tracking.mlflow.metrics_per_batch = 1001")));
    assertTrue(batch.getMessage().contains("metrics_per_batch must be in [1, 1000]"), batch.getMessage());
    ConfigError typo = assertThrows(ConfigError.class, () -> FACTORY.validate(
        tracking("mlflow", "tracking.mlflow.experimnet = x")));
    assertTrue(typo.getMessage().contains("tracking.mlflow.experimnet"), typo.getMessage());
  }

  @Test
  void registeredAsTheMlflowTrackerAndOffWithoutAUri() {
    assertTrue(PluginRegistry.load().factory(PluginKind.TRACKER, "mlflow") instanceof MlflowTrackerFactory);
    RunInfo run = MlflowTestRuns.run(Path.of("."), "name = demo", "", Map.of(), Map.of());
    assertEquals(java.util.Optional.empty(),
        FACTORY.create(tracking("mlflow", "tracking.mlflow.uri = \"\""), run));
  }
}
