package org.vqlab.models.likelihood;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.nn.ScalarOps;

/**
 * Squared error divided by the data variance, as Sonnet's VQ-VAE trains. It is the Gaussian
 * negative log-likelihood with variance {@code dataVariance / 2} up to a constant, so that Gaussian,
 * discretised over the pixel bins, is the log-likelihood this model reports.
 */
public final class MseLikelihood implements DecoderLikelihood {
  private final double dataVariance;
  private final PixelNormalization normalization;

  public MseLikelihood(double dataVariance, PixelNormalization normalization) {
    this.dataVariance = dataVariance;
    this.normalization = normalization;
  }

  @Override
  public int channelsPerImageChannel() {
    return 1;
  }

  @Override
  public NDArray loss(NDArray decoded, NDArray images) {
    return ScalarOps.div(images.sub(decoded).square().mean(), dataVariance);
  }

  @Override
  public NDArray logLikelihood(NDArray decoded, NDArray images) {
    double logScale = 0.5 * Math.log(dataVariance / 2);
    NDArray ls = decoded.zerosLike().add(logScale);
    return DiscreteDensities.gaussianLogProb(images, decoded, ls, normalization)
        .sum(new int[] {1, 2, 3});
  }

  @Override
  public NDArray reconstruction(NDArray decoded) {
    return decoded;
  }
}
