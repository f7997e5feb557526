package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;

/** {@code quantizer.type = ema}: {@link EmaVectorQuantizer}. */
public final class EmaQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return EmaQuantizerConfig.class;
  }

  @Override
  public Section withNumCodes(Section section, int numCodes, String requestedBy) {
    return section.withValue("num_codes", numCodes, requestedBy);
  }

  @Override
  public Quantizer create(Section section) {
    return new EmaVectorQuantizer(section.bind(EmaQuantizerConfig.class));
  }
}
