package org.vqlab.priors;

import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;

/** {@code prior.type = video_pixelcnn}. */
public final class VideoPixelCnnFactory implements PriorFactory {

  @Override
  public Class<? extends Record> configType() {
    return VideoPixelCnnConfig.class;
  }

  @Override
  public CodePrior create(Section section, PriorContext context) {
    return new VideoPixelCnn(section.bind(VideoPixelCnnConfig.class), context);
  }
}
