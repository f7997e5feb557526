package org.vqlab.models;

import org.vqlab.models.likelihood.LikelihoodKind;
import org.vqlab.models.likelihood.LikelihoodSettings;

/** The {@code model} section of {@code type = vae}; keys are documented in config/model/vae.conf. */
public record GaussianVaeConfig(int latentDim, int channels, int residualChannels,
    int residualBlocks, int downsample, LikelihoodKind likelihood, double dataVariance,
    double gaussianScale, boolean learnScale) {

  public GaussianVaeConfig {
    ArchitectureChecks.positive("model.latent_dim", latentDim);
    new VqVaeConfig(channels, residualChannels, residualBlocks, downsample, likelihood,
        dataVariance, gaussianScale, learnScale);
  }

  public LikelihoodSettings likelihoodSettings() {
    return VqVaeConfig.likelihoodSettings(likelihood, dataVariance, gaussianScale, learnScale);
  }
}
