package org.vqlab.models.testing;

import org.vqlab.core.plugin.VqPluginModule;

/** Test-only plugin registering the {@code test_nn} quantizer. */
public final class TestQuantizerPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    quantizer("test_nn", NearestNeighbourQuantizerFactory.class);
  }
}
