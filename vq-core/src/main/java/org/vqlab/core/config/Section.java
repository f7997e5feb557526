package org.vqlab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * A subtree of the resolved config together with its path, so that errors name full keys
 * ({@code quantizer.num_codes}, not {@code num_codes}).
 */
public record Section(String path, Config config) {

  public static Section root(Config config) {
    return new Section("", config);
  }

  /** The child section at {@code key}; an absent child is an empty section. */
  public Section child(String key) {
    Config c = config.hasPath(key) ? config.getConfig(key) : ConfigFactory.empty();
    return new Section(fullKey(key), c);
  }

  public String fullKey(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The plugin name this section selects ({@code type} key). */
  public String type() {
    if (!config.hasPath("type")) {
      throw new ConfigError("missing required value '" + fullKey("type")
          + "': the plugin name to use (see `vq plugins`)");
    }
    return config.getString("type");
  }

  /**
   * This section with {@code key} set to {@code value}; {@code origin} says who set it (e.g.
   * {@code model.num_codes[0]}) and shows in error messages and {@code vq config --origins}.
   */
  public Section withValue(String key, Object value, String origin) {
    return new Section(path, config.withValue(key,
        com.typesafe.config.ConfigValueFactory.fromAnyRef(value, origin)));
  }

  /** Binds this section to a record; see {@link ConfigBinder}. */
  public <R extends Record> R bind(Class<R> type) {
    return ConfigBinder.bind(this, type);
  }
}
