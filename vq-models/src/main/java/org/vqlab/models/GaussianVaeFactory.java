package org.vqlab.models;

import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;

/** {@code model.type = vae}: the Gaussian VAE baseline; the quantizer section is not used. */
public final class GaussianVaeFactory implements ModelFactory {

  @Override
  public Class<? extends Record> configType() {
    return GaussianVaeConfig.class;
  }

  @Override
  public Autoencoder create(Section section, ModelContext context) {
    GaussianVaeConfig c = section.bind(GaussianVaeConfig.class);
    return new GaussianVae(context.imageShape(), c.latentDim(), c.channels(), c.residualChannels(),
        c.residualBlocks(), c.downsample(), c.likelihoodSettings().create(context.normalization()),
        context.normalization());
  }
}
