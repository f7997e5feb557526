package org.vqlab.models.likelihood;

import org.vqlab.core.data.PixelNormalization;

/**
 * The likelihood keys every model section shares ({@code model.likelihood}, {@code data_variance},
 * {@code gaussian_scale}, {@code learn_scale}).
 */
public record LikelihoodSettings(LikelihoodKind kind, double dataVariance, double gaussianScale,
    boolean learnScale) {

  public LikelihoodSettings {
    if (!(dataVariance > 0)) {
      throw new IllegalArgumentException("model.data_variance must be > 0, got " + dataVariance);
    }
    if (!(gaussianScale > 0)) {
      throw new IllegalArgumentException("model.gaussian_scale must be > 0, got " + gaussianScale);
    }
    if (learnScale && kind != LikelihoodKind.GAUSSIAN) {
      throw new IllegalArgumentException("model.learn_scale applies to model.likelihood=gaussian only"
          + " (discretized_logistic always learns its scale), got likelihood="
          + kind.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  public DecoderLikelihood create(PixelNormalization normalization) {
    return switch (kind) {
      case MSE -> new MseLikelihood(dataVariance, normalization);
      case GAUSSIAN -> new GaussianLikelihood(learnScale, gaussianScale, normalization);
      case DISCRETIZED_LOGISTIC -> new DiscretizedLogisticLikelihood(normalization);
    };
  }
}
