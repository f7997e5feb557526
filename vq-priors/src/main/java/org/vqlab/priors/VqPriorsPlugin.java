package org.vqlab.priors;

import org.vqlab.core.plugin.VqPluginModule;

/** The built-in priors over codes: {@code gated_pixelcnn}, {@code video_pixelcnn}. */
public final class VqPriorsPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    prior("gated_pixelcnn", GatedPixelCnnFactory.class);
    prior("video_pixelcnn", VideoPixelCnnFactory.class);
  }
}
