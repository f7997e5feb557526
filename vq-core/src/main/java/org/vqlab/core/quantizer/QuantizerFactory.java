package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginFactory;

/** Builds a vector quantizer (kind {@code quantizer}) from a {@code quantizer} config section. */
public interface QuantizerFactory extends PluginFactory {
  Quantizer create(Section section);
}
