package org.vqlab.models;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.nn.ScalarOps;

/** Mean squared error in [0, 1] pixel units, comparable across normalisations and with papers. */
public final class PixelMse {
  private PixelMse() {}

  public static NDArray of(NDArray images, NDArray reconstruction, PixelNormalization n) {
    double range = n.high() - n.low();
    return ScalarOps.div(images.sub(reconstruction).square().mean(), range * range);
  }
}
