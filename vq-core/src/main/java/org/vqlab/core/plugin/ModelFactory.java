package org.vqlab.core.plugin;

import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.quantizer.Quantizers;

/** Builds an autoencoder (kind {@code model}) from the {@code model} config section. */
public interface ModelFactory extends PluginFactory {
  Autoencoder create(Section section, ModelContext context);

  /**
   * Checks at launch, before any run directory exists, what the model will ask of the quantizer
   * section (e.g. per-level codebook sizes through {@link
   * org.vqlab.core.quantizer.QuantizerFactory#withNumCodes}); throws ConfigError naming the key.
   * The default asks nothing.
   */
  default void validateQuantizers(Section section, Section quantizerSection, Quantizers quantizers) {}
}
