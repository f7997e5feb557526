package org.vqlab.priors;

import org.vqlab.core.plugin.VqPluginModule;

/** The built-in priors over codes: {@code gated_pixelcnn}. */
public final class VqPriorsPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    prior("gated_pixelcnn", GatedPixelCnnFactory.class);
  }
}
