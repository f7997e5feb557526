package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;

/** {@code quantizer.type = standard}: {@link VectorQuantizer}. */
public final class StandardQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return StandardQuantizerConfig.class;
  }

  @Override
  public Section withNumCodes(Section section, int numCodes, String requestedBy) {
    return section.withValue("num_codes", numCodes, requestedBy);
  }

  @Override
  public Quantizer create(Section section) {
    return new VectorQuantizer(section.bind(StandardQuantizerConfig.class));
  }
}
