package org.vqlab.models.testing;

import org.vqlab.core.config.Section;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerFactory;

/** Test support: {@code quantizer.type = test_nn}. */
public final class NearestNeighbourQuantizerFactory implements QuantizerFactory {

  public record Config(int numCodes, int codeDim) {}

  @Override
  public Class<? extends Record> configType() {
    return Config.class;
  }

  /** A codebook quantizer: VQ-VAE-2's per-level model.num_codes sets its size. */
  @Override
  public Section withNumCodes(Section section, int numCodes, String requestedBy) {
    return section.withValue("num_codes", numCodes, requestedBy);
  }

  @Override
  public Quantizer create(Section section) {
    Config c = section.bind(Config.class);
    return new NearestNeighbourQuantizer(c.numCodes(), c.codeDim());
  }
}
