package org.vqlab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of composition: the resolved config a run uses, the option chosen for every group,
 * the experiment preset (or null) and the command-line arguments it came from.
 */
public record ComposedConfig(Config config, Map<String, String> choices, String experiment,
    List<String> arguments) {

  public Section root() {
    return Section.root(config);
  }

  /** HOCON, as a run writes it to {@code config.conf}. */
  public String render() {
    return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
        .setComments(false).setJson(false).setFormatted(true));
  }

  /** Every leaf with the file or jar and line (or command-line argument) it came from. */
  public String renderWithOrigins() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ConfigValue> e : flatten().entrySet()) {
      sb.append(e.getKey()).append(" = ").append(e.getValue().render(ConfigRenderOptions.concise()))
          .append("    # ").append(origin(e.getValue().origin().description())).append('\n');
    }
    return sb.toString();
  }

  /**
   * An origin as a path: {@code /abs/plugin.jar!/config/quantizer/x.conf: 3} for a jar resource,
   * {@code /abs/dir/model/y.conf: 5} for a file, else Typesafe Config's description unchanged.
   */
  static String origin(String description) {
    if (description.startsWith("jar:file:")) {
      return description.substring("jar:file:".length());
    }
    if (description.startsWith("file:")) {
      return description.substring("file:".length());
    }
    return description;
  }

  /** Leaves by full key, sorted; the flattened form that trackers log as params. */
  public SortedMap<String, ConfigValue> flatten() {
    SortedMap<String, ConfigValue> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }
}
