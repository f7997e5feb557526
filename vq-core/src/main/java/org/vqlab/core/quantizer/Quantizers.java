package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;

/** Builds quantizers of whatever registered type a section names; models use it per level. */
public final class Quantizers {
  private final PluginRegistry registry;

  public Quantizers(PluginRegistry registry) {
    this.registry = registry;
  }

  public Quantizer create(Section section) {
    QuantizerFactory factory = registry.factory(PluginKind.QUANTIZER, section);
    return factory.create(section);
  }
}
