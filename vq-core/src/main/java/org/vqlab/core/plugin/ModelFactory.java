package org.vqlab.core.plugin;

import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;

/** Builds an autoencoder (kind {@code model}) from the {@code model} config section. */
public interface ModelFactory extends PluginFactory {
  Autoencoder create(Section section, ModelContext context);
}
