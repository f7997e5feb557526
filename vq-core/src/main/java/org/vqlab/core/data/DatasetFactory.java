package org.vqlab.core.data;

import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginFactory;

/** Builds a dataset (kind {@code dataset}) for one split from the {@code dataset} config section. */
public interface DatasetFactory extends PluginFactory {
  VqDataset create(Section section, Split split);
}
