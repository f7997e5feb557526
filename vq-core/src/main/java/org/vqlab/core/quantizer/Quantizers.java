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
    return factory(section).create(section);
  }

  /** The section with its codebook size set, through {@link QuantizerFactory#withNumCodes}. */
  public Section withNumCodes(Section section, int numCodes, String requestedBy) {
    return factory(section).withNumCodes(section, numCodes, requestedBy);
  }

  /** Binds and validates a quantizer section (throws ConfigError naming the key). */
  public void validate(Section section) {
    factory(section).validate(section);
  }

  private QuantizerFactory factory(Section section) {
    return registry.factory(PluginKind.QUANTIZER, section);
  }
}
