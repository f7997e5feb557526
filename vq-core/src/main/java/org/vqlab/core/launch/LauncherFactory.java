package org.vqlab.core.launch;

import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginFactory;

/** Builds a launcher (kind {@code launcher}) that runs the jobs of a multirun sweep. */
public interface LauncherFactory extends PluginFactory {
  Launcher create(Section launcherSection);
}
