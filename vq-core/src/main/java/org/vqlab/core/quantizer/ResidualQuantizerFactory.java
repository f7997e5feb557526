package org.vqlab.core.quantizer;

import java.util.function.Supplier;
import org.vqlab.core.config.Section;

/**
 * {@code quantizer.type = residual}: {@link ResidualVectorQuantizer} whose stages are
 * {@link EmaVectorQuantizer}s or {@link VectorQuantizer}s bound from {@code quantizer.stage}, so a
 * stage has every option (and every codebook-health feature) of those quantizers.
 */
public final class ResidualQuantizerFactory implements QuantizerFactory {
  @Override
  public Class<? extends Record> configType() {
    return ResidualQuantizerConfig.class;
  }

  @Override
  public Quantizer create(Section section) {
    ResidualQuantizerConfig config = section.bind(ResidualQuantizerConfig.class);
    return new ResidualVectorQuantizer(config, stageFactory(config));
  }

  /** Builds one stage quantizer per call; the stage options are bound (and checked) once. */
  static Supplier<AbstractVectorQuantizer> stageFactory(ResidualQuantizerConfig config) {
    Section stage = config.stageSection();
    if (config.codebook() == ResidualQuantizerConfig.StageCodebook.EMA) {
      EmaQuantizerConfig c = stage.bind(EmaQuantizerConfig.class);
      return () -> new EmaVectorQuantizer(c);
    }
    StandardQuantizerConfig c = stage.bind(StandardQuantizerConfig.class);
    return () -> new VectorQuantizer(c);
  }
}
