package org.vqlab.models;

import java.util.List;
import org.vqlab.models.likelihood.LikelihoodKind;
import org.vqlab.models.likelihood.LikelihoodSettings;

/**
 * The {@code model} section of {@code type = vqvae2}: the vqvae keys plus {@code levels} and
 * per-level {@code num_codes} overrides (top first; empty keeps quantizer.num_codes everywhere).
 */
public record VqVae2Config(int levels, int channels, int residualChannels, int residualBlocks,
    int downsample, List<Integer> numCodes, LikelihoodKind likelihood, double dataVariance,
    double gaussianScale, boolean learnScale) {

  public VqVae2Config {
    if (levels < 2) {
      throw new IllegalArgumentException("model.levels must be >= 2 for vqvae2 (use model=vqvae for"
          + " one level), got " + levels);
    }
    if (!numCodes.isEmpty() && numCodes.size() != levels) {
      throw new IllegalArgumentException("model.num_codes must be empty or have one entry per level"
          + " (" + levels + ", top first), got " + numCodes);
    }
    for (int k : numCodes) {
      ArchitectureChecks.positive("model.num_codes entries", k);
    }
    new VqVaeConfig(channels, residualChannels, residualBlocks, downsample, likelihood,
        dataVariance, gaussianScale, learnScale);
  }

  public LikelihoodSettings likelihoodSettings() {
    return VqVaeConfig.likelihoodSettings(likelihood, dataVariance, gaussianScale, learnScale);
  }
}
