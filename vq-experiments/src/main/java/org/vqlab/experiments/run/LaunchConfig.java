package org.vqlab.experiments.run;

import org.vqlab.core.engine.EngineConfig;

/** The top-level keys of config.conf that every launch reads. */
public record LaunchConfig(String name, long seed, String outputDir, EngineConfig engine) {
  public LaunchConfig {
    if (!name.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("name '" + name
          + "' must be letters, digits, '_', '-' or '.' (it names a directory)");
    }
  }
}
