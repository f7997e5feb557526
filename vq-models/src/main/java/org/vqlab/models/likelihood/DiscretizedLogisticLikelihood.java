package org.vqlab.models.likelihood;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.nn.Slicing;

/**
 * The discretised logistic of PixelCNN++ over the 256 pixel values: the decoder outputs a mean and a
 * log-scale per pixel; a value's probability is the logistic mass of its bin of width
 * (high - low) / 255, and the two edge bins take the tails.
 */
public final class DiscretizedLogisticLikelihood extends DiscreteLikelihood {
  private final PixelNormalization normalization;

  public DiscretizedLogisticLikelihood(PixelNormalization normalization) {
    this.normalization = normalization;
  }

  @Override
  public int channelsPerImageChannel() {
    return 2;
  }

  /** log P(x) per element for means and log-scales given separately (same shape as x). */
  public NDArray elementLogProb(NDArray images, NDArray mean, NDArray logScale) {
    return DiscreteDensities.logisticLogProb(images, mean, logScale, normalization);
  }

  @Override
  NDArray pixelLogProb(NDArray decoded, NDArray images) {
    long c = images.getShape().get(1);
    return elementLogProb(images, Slicing.narrow(decoded, 1, 0, c),
        Slicing.narrow(decoded, 1, c, 2 * c));
  }

  @Override
  public NDArray reconstruction(NDArray decoded) {
    // The location can leave the data range; the edge bins absorb that mass, so clip to it.
    NDArray mean = Slicing.narrow(decoded, 1, 0, decoded.getShape().get(1) / 2);
    return mean.clip(normalization.low(), normalization.high());
  }
}
