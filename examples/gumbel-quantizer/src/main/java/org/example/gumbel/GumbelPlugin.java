package org.example.gumbel;

import org.vqlab.core.plugin.VqPluginModule;

/** Registers the quantizer {@code gumbel}; listed in META-INF/services/org.vqlab.core.plugin.VqPlugin. */
public final class GumbelPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    quantizer("gumbel", GumbelQuantizerFactory.class);
  }
}
