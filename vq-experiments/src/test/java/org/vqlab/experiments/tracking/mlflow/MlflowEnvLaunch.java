package org.vqlab.experiments.tracking.mlflow;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.testing.ConfigDirs;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.core.tracking.Tracker;
import org.vqlab.core.tracking.TrackerFactory;

/**
 * A launch as a child JVM sees it: the mlflow tracker found through the plugin registry, its
 * section from the real config/tracking/mlflow.conf, credentials and URI from the environment.
 * Args: experiment, run directory, repository root. Prints "launch run <id>".
 */
public final class MlflowEnvLaunch {
  private MlflowEnvLaunch() {}

  public static void main(String[] args) {
    Path home = Path.of(args[2]);
    // The group file goes under "tracking" as composition places it; ${name} resolves at the root.
    Config config = ConfigFactory.parseString("name = \"" + args[0] + "\"\ncopied_token = ${?MLFLOW_TRACKING_TOKEN}\n")
        .withFallback(ConfigDirs.resource("tracking/mlflow.conf")
            .withFallback(ConfigDirs.resource("sections/tracking/mlflow.conf").atKey("mlflow"))
            .atKey("tracking"))
        .resolve();
    ComposedConfig composed = new ComposedConfig(config, Map.of("tracking", "mlflow"), null, List.of("tracking=mlflow"));
    RunInfo run = new RunInfo(Path.of(args[1]), args[0], "", composed, MlflowTestRuns.params(composed),
        Map.of("device", "cpu"), Map.of());
    TrackerFactory factory = PluginRegistry.load().factory(PluginKind.TRACKER, "mlflow");
    Section tracking = Section.root(config).child("tracking");
    Tracker tracker = factory.create(tracking, run).orElseThrow();
    tracker.stageStarted("train");
    tracker.logMetric("train/loss", 0.5, 0, System.currentTimeMillis());
    tracker.stageEnded(RunStatus.FINISHED);
    String report = tracker.finish(RunStatus.FINISHED);
    System.out.println("launch run " + ((MlflowTracker) tracker).launchRunId().orElse("?"));
    System.out.println("report: " + report);
    System.exit(report.isEmpty() ? 0 : 1);
  }
}
