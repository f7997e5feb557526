package org.vqlab.models;

import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.Quantizers;

/**
 * {@code model.type = vqvae2}: L levels, each with its own quantizer built from the
 * {@code quantizer} section; {@code model.num_codes} (top first) gives each level its own codebook
 * size through {@link org.vqlab.core.quantizer.QuantizerFactory#withNumCodes}, so it works with
 * any quantizer that has a codebook and is rejected, at validation, for one that has none.
 */
public final class VqVae2Factory implements ModelFactory {

  @Override
  public Class<? extends Record> configType() {
    return VqVae2Config.class;
  }

  @Override
  public Autoencoder create(Section section, ModelContext context) {
    VqVae2Config c = section.bind(VqVae2Config.class);
    ArchitectureChecks.divisible(context.imageShape(), c.downsample(), c.levels());
    List<Quantizer> quantizers = new ArrayList<>();
    for (Section q : levelSections(c, context.quantizerSection(), context.quantizers())) {
      quantizers.add(context.quantizers().create(q));
    }
    return new VqVae(context.imageShape(), c.channels(), c.residualChannels(), c.residualBlocks(),
        c.downsample(), quantizers, c.likelihoodSettings().create(context.normalization()),
        context.normalization());
  }

  @Override
  public void validateQuantizers(Section section, Section quantizerSection, Quantizers quantizers) {
    for (Section q : levelSections(section.bind(VqVae2Config.class), quantizerSection, quantizers)) {
      quantizers.validate(q);
    }
  }

  /** Each level's quantizer section, top first: the shared one, or with its model.num_codes entry. */
  private static List<Section> levelSections(VqVae2Config c, Section quantizer, Quantizers quantizers) {
    List<Section> levels = new ArrayList<>();
    for (int level = 0; level < c.levels(); level++) {
      levels.add(c.numCodes().isEmpty() ? quantizer
          : quantizers.withNumCodes(quantizer, c.numCodes().get(level), "model.num_codes[" + level + "]"));
    }
    return levels;
  }
}
