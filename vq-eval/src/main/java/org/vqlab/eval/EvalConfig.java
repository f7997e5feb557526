package org.vqlab.eval;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.MetricFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;

/**
 * The {@code eval} section: which metric plugins make the report, the batch size and how much of
 * the test split to use. Each registered metric's own keys live in the subsection named after it
 * ({@code eval.bits_per_dim.iwae_samples}), bound by its factory's config record.
 */
public record EvalConfig(List<String> metrics, int batchSize, long maxItems) {
  public EvalConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException("eval.batch_size must be >= 1, got " + batchSize);
    }
    if (maxItems < 0) {
      throw new IllegalArgumentException("eval.max_items must be >= 0 (0 = all), got " + maxItems);
    }
    if (new HashSet<>(metrics).size() != metrics.size()) {
      throw new IllegalArgumentException("eval.metrics names a metric twice: " + metrics);
    }
    metrics = List.copyOf(metrics);
  }

  /**
   * Binds {@code eval} and every registered metric's subsection (so a typo in any of them is an
   * error before work starts); a name in {@code eval.metrics} that no plugin registers is an error
   * listing the known ones.
   */
  public static EvalConfig bind(Section eval, PluginRegistry registry) {
    Set<String> registered = registry.all(PluginKind.METRIC).keySet();
    Config own = eval.config();
    for (String name : registered) {
      own = own.withoutPath(name);
    }
    EvalConfig config = new Section(eval.path(), own).bind(EvalConfig.class);
    for (String name : config.metrics()) {
      if (!registered.contains(name)) {
        throw new ConfigError("unknown metric '" + name + "' in " + eval.fullKey("metrics")
            + "; known metrics: " + registered);
      }
    }
    for (String name : registered) {
      registry.<MetricFactory>factory(PluginKind.METRIC, name).validate(eval.child(name));
    }
    return config;
  }
}
