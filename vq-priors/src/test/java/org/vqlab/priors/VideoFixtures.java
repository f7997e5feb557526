package org.vqlab.priors;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.PriorContext;

/** Builds video priors the way the command line does: config/prior/video_pixelcnn.conf plus overrides. */
final class VideoFixtures {
  private VideoFixtures() {}

  static Section section(String overrides) {
    return new Section("prior", ConfigFactory.parseString(overrides)
        .withFallback(PriorFixtures.priorFile("video_pixelcnn")).resolve());
  }

  static VideoPixelCnn prior(NDManager manager, String overrides, PriorContext context) {
    Section s = section(overrides);
    PriorFactory factory = PriorFixtures.REGISTRY.factory(PluginKind.PRIOR, s);
    return ((VideoPixelCnn) factory.create(s, context)).initialize(manager);
  }
}
