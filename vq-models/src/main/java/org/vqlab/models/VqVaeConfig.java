package org.vqlab.models;

import org.vqlab.models.likelihood.LikelihoodKind;
import org.vqlab.models.likelihood.LikelihoodSettings;

/** The {@code model} section of {@code type = vqvae}; keys are documented in config/model/vqvae.conf. */
public record VqVaeConfig(int channels, int residualChannels, int residualBlocks, int downsample,
    LikelihoodKind likelihood, double dataVariance, double gaussianScale, boolean learnScale) {

  public VqVaeConfig {
    ArchitectureChecks.positive("model.channels", channels);
    ArchitectureChecks.positive("model.residual_channels", residualChannels);
    if (residualBlocks < 0) {
      throw new IllegalArgumentException("model.residual_blocks must be >= 0, got " + residualBlocks);
    }
    ArchitectureChecks.powerOfTwo("model.downsample", downsample);
    likelihoodSettings(likelihood, dataVariance, gaussianScale, learnScale);
  }

  public LikelihoodSettings likelihoodSettings() {
    return likelihoodSettings(likelihood, dataVariance, gaussianScale, learnScale);
  }

  static LikelihoodSettings likelihoodSettings(LikelihoodKind likelihood, double dataVariance,
      double gaussianScale, boolean learnScale) {
    return new LikelihoodSettings(likelihood, dataVariance, gaussianScale, learnScale);
  }
}
