package org.vqlab.models.likelihood;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.nn.Slicing;

/**
 * A Gaussian over each pixel, discretised over the 256 bins (edge bins take the tails) so that the
 * loss stays bounded even when a learned scale shrinks. With {@code learnScale} the decoder outputs
 * a per-pixel log standard deviation after the means; otherwise the scale is fixed.
 */
public final class GaussianLikelihood extends DiscreteLikelihood {
  private final boolean learnScale;
  private final double fixedScale;
  private final PixelNormalization normalization;

  public GaussianLikelihood(boolean learnScale, double fixedScale, PixelNormalization normalization) {
    this.learnScale = learnScale;
    this.fixedScale = fixedScale;
    this.normalization = normalization;
  }

  @Override
  public int channelsPerImageChannel() {
    return learnScale ? 2 : 1;
  }

  @Override
  NDArray pixelLogProb(NDArray decoded, NDArray images) {
    long c = images.getShape().get(1);
    NDArray mean = Slicing.narrow(decoded, 1, 0, c);
    NDArray logScale = learnScale ? Slicing.narrow(decoded, 1, c, 2 * c)
        : mean.zerosLike().add(Math.log(fixedScale));
    return DiscreteDensities.gaussianLogProb(images, mean, logScale, normalization);
  }

  @Override
  public NDArray reconstruction(NDArray decoded) {
    return learnScale ? Slicing.narrow(decoded, 1, 0, decoded.getShape().get(1) / 2) : decoded;
  }
}
