package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;

/** {@code quantizer.type = lfq}: {@link LookupFreeQuantizer}. */
public final class LfqQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return LfqConfig.class;
  }

  @Override
  public Quantizer create(Section section) {
    return new LookupFreeQuantizer(section.bind(LfqConfig.class));
  }
}
