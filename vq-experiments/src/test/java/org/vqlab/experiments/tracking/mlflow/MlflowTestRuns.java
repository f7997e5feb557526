package org.vqlab.experiments.tracking.mlflow;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.tracking.RunInfo;

/** Hand-built launches for the MLflow tests, as the launcher would describe them. */
final class MlflowTestRuns {
  private MlflowTestRuns() {}

  static RunInfo run(Path dir, String hocon, String runName, Map<String, String> tags,
      Map<String, String> parentIds) {
    Config config = ConfigFactory.parseString(hocon).resolve();
    ComposedConfig composed = new ComposedConfig(config, Map.of(), null, List.of("trainer.lr=0.001"));
    return new RunInfo(dir, config.getString("name"), runName, composed, params(composed), tags, parentIds);
  }

  /** The flattened config as strings, strings unquoted. */
  static SortedMap<String, String> params(ComposedConfig composed) {
    SortedMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : composed.flatten().entrySet()) {
      ConfigValue v = e.getValue();
      out.put(e.getKey(), v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped()
          : v.render(ConfigRenderOptions.concise()));
    }
    return out;
  }

  /** A config for tests: short timeouts and back-off so that outages resolve in seconds. */
  static MlflowTrackingConfig config(String uri, String experiment) {
    return config(uri, experiment, false);
  }

  static MlflowTrackingConfig config(String uri, String experiment, boolean logCheckpoints) {
    return new MlflowTrackingConfig(uri, experiment, logCheckpoints, 2, 10, 60, 120, 1, 200_000, 1000, 6000);
  }
}
