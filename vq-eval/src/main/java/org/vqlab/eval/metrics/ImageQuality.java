package org.vqlab.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Full-reference image quality on images in [0, 1]: PSNR from a mean squared error, and SSIM
 * (Wang, Bovik, Sheikh and Simoncelli, 2004) with their standard settings: an 11 x 11 Gaussian
 * window of sigma 1.5 applied without padding, K1 = 0.01, K2 = 0.03, dynamic range 1, computed per
 * channel on the device with one grouped convolution and averaged over positions and channels.
 * The local statistics are taken in float64: variances as E[x^2] - E[x]^2 cancel badly in float32
 * next to C2 = 9e-4.
 */
public final class ImageQuality {
  public static final int WINDOW = 11;
  public static final double SIGMA = 1.5;
  public static final double K1 = 0.01;
  public static final double K2 = 0.03;

  private ImageQuality() {}

  /** Peak signal-to-noise ratio in dB for a peak value of 1: 10 log10(1 / mse). */
  public static double psnr(double mse) {
    return 10 * Math.log10(1 / mse);
  }

  /** The normalised 1-D Gaussian weights of the window. */
  public static double[] gaussian1d() {
    double[] w = new double[WINDOW];
    double sum = 0;
    for (int i = 0; i < WINDOW; i++) {
      double d = i - (WINDOW - 1) / 2.0;
      w[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
      sum += w[i];
    }
    for (int i = 0; i < WINDOW; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /** SSIM of each image pair, (B): x and y are (B, C, H, W) in [0, 1] with H, W >= 11. */
  public static NDArray ssim(NDArray x, NDArray y) {
    Shape s = x.getShape();
    if (!s.equals(y.getShape()) || s.dimension() != 4) {
      throw new IllegalArgumentException("SSIM needs two (B, C, H, W) batches of one shape, got "
          + s + " and " + y.getShape());
    }
    if (s.get(2) < WINDOW || s.get(3) < WINDOW) {
      throw new IllegalArgumentException("SSIM's " + WINDOW + " x " + WINDOW
          + " window needs images of at least that size, got " + s);
    }
    long b = s.get(0);
    long c = s.get(1);
    NDArray xs = x.toType(DataType.FLOAT64, false).reshape(b * c, 1, s.get(2), s.get(3));
    NDArray ys = y.toType(DataType.FLOAT64, false).reshape(b * c, 1, s.get(2), s.get(3));
    // The five local statistics in one grouped convolution: means, second moments, cross moment.
    NDArray stack = NDArrays.concat(new NDList(xs, ys, xs.square(), ys.square(), xs.mul(ys)), 1);
    double[] g = gaussian1d();
    double[] window = new double[WINDOW * WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      for (int j = 0; j < WINDOW; j++) {
        window[i * WINDOW + j] = g[i] * g[j];
      }
    }
    NDArray weight = x.getManager().create(window, new Shape(1, 1, WINDOW, WINDOW))
        .toDevice(x.getDevice(), false).repeat(0, 5);
    NDArray local = Conv2d.conv2d(stack, weight, null, new Shape(1, 1), new Shape(0, 0),
        new Shape(1, 1), 5).singletonOrThrow();
    NDArray muX = local.get(":, 0");
    NDArray muY = local.get(":, 1");
    NDArray muXX = muX.square();
    NDArray muYY = muY.square();
    NDArray muXY = muX.mul(muY);
    NDArray varX = local.get(":, 2").sub(muXX);
    NDArray varY = local.get(":, 3").sub(muYY);
    NDArray cov = local.get(":, 4").sub(muXY);
    double c1 = K1 * K1;
    double c2 = K2 * K2;
    NDArray numerator = muXY.mul(2).add(c1).mul(cov.mul(2).add(c2));
    NDArray denominator = muXX.add(muYY).add(c1).mul(varX.add(varY).add(c2));
    NDArray map = numerator.div(denominator);
    return map.reshape(b, -1).mean(new int[] {1}).toType(x.getDataType(), false);
  }
}
