package org.vqlab.models;

import java.util.List;
import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.quantizer.Quantizer;

/** {@code model.type = vqvae}: one level of codes, the quantizer from the {@code quantizer} section. */
public final class VqVaeFactory implements ModelFactory {

  @Override
  public Class<? extends Record> configType() {
    return VqVaeConfig.class;
  }

  @Override
  public Autoencoder create(Section section, ModelContext context) {
    VqVaeConfig c = section.bind(VqVaeConfig.class);
    ArchitectureChecks.divisible(context.imageShape(), c.downsample(), 1);
    Quantizer quantizer = context.quantizers().create(context.quantizerSection());
    return new VqVae(context.imageShape(), c.channels(), c.residualChannels(), c.residualBlocks(),
        c.downsample(), List.of(quantizer), c.likelihoodSettings().create(context.normalization()),
        context.normalization());
  }
}
