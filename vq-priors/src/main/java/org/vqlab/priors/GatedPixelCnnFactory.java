package org.vqlab.priors;

import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;

/** {@code prior.type = gated_pixelcnn}. */
public final class GatedPixelCnnFactory implements PriorFactory {

  @Override
  public Class<? extends Record> configType() {
    return GatedPixelCnnConfig.class;
  }

  @Override
  public CodePrior create(Section section, PriorContext context) {
    return new GatedPixelCnn(section.bind(GatedPixelCnnConfig.class), context);
  }
}
