package org.example.gumbel;

import org.vqlab.core.config.Section;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerFactory;

/** {@code quantizer.type = gumbel}. */
public final class GumbelQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return GumbelQuantizerConfig.class;
  }

  @Override
  public Quantizer create(Section section) {
    return new GumbelQuantizer(section.bind(GumbelQuantizerConfig.class));
  }

  /** A codebook of K codes: VQ-VAE-2's per-level model.num_codes sets it. */
  @Override
  public Section withNumCodes(Section section, int numCodes, String requestedBy) {
    return section.withValue("num_codes", numCodes, requestedBy);
  }
}
