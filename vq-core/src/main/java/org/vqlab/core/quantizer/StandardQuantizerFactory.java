package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;

/** {@code quantizer.type = standard}: {@link VectorQuantizer}. */
public final class StandardQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return StandardQuantizerConfig.class;
  }

  @Override
  public Quantizer create(Section section) {
    return new VectorQuantizer(section.bind(StandardQuantizerConfig.class));
  }
}
