package org.vqlab.models;

import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.quantizer.Quantizer;

/**
 * {@code model.type = vqvae2}: L levels, each with its own quantizer built from the
 * {@code quantizer} section, whose {@code num_codes} a level may override via
 * {@code model.num_codes} (top first).
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
    for (int level = 0; level < c.levels(); level++) {
      Section q = context.quantizerSection();
      if (!c.numCodes().isEmpty()) {
        q = new Section(q.path(), q.config().withValue("num_codes",
            ConfigValueFactory.fromAnyRef(c.numCodes().get(level), "model.num_codes[" + level + "]")));
      }
      quantizers.add(context.quantizers().create(q));
    }
    return new VqVae(context.imageShape(), c.channels(), c.residualChannels(), c.residualBlocks(),
        c.downsample(), quantizers, c.likelihoodSettings().create(context.normalization()),
        context.normalization());
  }
}
