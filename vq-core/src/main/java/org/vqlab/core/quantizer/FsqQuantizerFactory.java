package org.vqlab.core.quantizer;

import org.vqlab.core.config.Section;

/** {@code quantizer.type = fsq}: {@link FiniteScalarQuantizer}. */
public final class FsqQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return FsqConfig.class;
  }

  @Override
  public Quantizer create(Section section) {
    return new FiniteScalarQuantizer(section.bind(FsqConfig.class));
  }
}
