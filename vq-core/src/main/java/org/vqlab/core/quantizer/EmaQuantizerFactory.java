package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;

/** {@code quantizer.type = ema}: {@link EmaVectorQuantizer}. */
public final class EmaQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return EmaQuantizerConfig.class;
  }

  @Override
  public Quantizer create(Section section) {
    return new EmaVectorQuantizer(section.bind(EmaQuantizerConfig.class));
  }
}
