package org.vqlab.models;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.quantizer.Quantizers;
import org.vqlab.testkit.PluginConfigs;

/** The built-in models as a run builds them: shipped option files, registered quantizers. */
final class ModelContracts {
  static final PluginRegistry REGISTRY = PluginRegistry.load();
  static final String SMALL = "channels = 8, residual_channels = 4, residual_blocks = 1";

  private ModelContracts() {}

  static Autoencoder build(String type, String overrides, String quantizer,
      String quantizerOverrides, Shape image) {
    Section model = PluginConfigs.section("model", type, overrides);
    Section q = PluginConfigs.section("quantizer", quantizer, quantizerOverrides);
    ModelFactory factory = REGISTRY.factory(PluginKind.MODEL, model);
    return factory.create(model, new ModelContext(image, q, new Quantizers(REGISTRY)));
  }
}
