package org.vqlab.core.plugin;

import org.vqlab.core.config.Section;

/**
 * What every named implementation registers: a factory that knows the typed shape of its config.
 * {@link #configType()} lets the command line bind and validate every selected section at start-up,
 * before any heavy work.
 */
public interface PluginFactory {

  /** The record the plugin's config section binds to; see {@link Section#bind(Class)}. */
  Class<? extends Record> configType();

  /** Binds and validates {@code section}; throws {@code ConfigError} naming the key at fault. */
  default Record validate(Section section) {
    return section.bind(configType());
  }
}
