package org.vqlab.core.quantizer;

import org.vqlab.core.config.ConfigError;

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
      rejectRotation(c.gradient());
      return () -> new EmaVectorQuantizer(c);
    }
    StandardQuantizerConfig c = stage.bind(StandardQuantizerConfig.class);
    rejectRotation(c.gradient());
    return () -> new VectorQuantizer(c);
  }

  /**
   * The residual output carries one straight-through path for the sum of its stages, so a rotation
   * inside a stage would never reach the encoder: refuse it instead of silently ignoring it.
   */
  private static void rejectRotation(GradientEstimator gradient) {
    if (gradient == GradientEstimator.ROTATION) {
      throw new ConfigError("quantizer.stage.gradient = rotation is not supported by the residual"
          + " quantizer (its encoder gradient is one straight-through path for the sum of the stages,"
          + " so a per-stage rotation would have no effect); use straight_through");
    }
  }
}
