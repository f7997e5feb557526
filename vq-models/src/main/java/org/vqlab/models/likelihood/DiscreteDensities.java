package org.vqlab.models.likelihood;

import static org.vqlab.core.nn.ScalarOps.atLeast;
import static org.vqlab.core.nn.ScalarOps.atMost;
import static org.vqlab.core.nn.ScalarOps.mul;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.nn.ScalarOps;

/**
 * Element-wise log-probabilities of 8-bit pixels (in normalised units) under continuous densities
 * integrated over each pixel's bin; the two edge bins take the tails, so the 256 values sum to one.
 * Constants go through {@link ScalarOps} so that gradients stay correct.
 */
final class DiscreteDensities {
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  /** Below this log-scale the bins would be far narrower than float precision resolves. */
  static final double MIN_LOG_SCALE = -7.0;

  private DiscreteDensities() {}

  /** log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), stable for any x. */
  static NDArray softplus(NDArray x) {
    return atLeast(x, 0).add(x.abs().neg().exp().add(1).log());
  }

  /** Logistic with location {@code mean} and log-scale {@code logScale}, as in PixelCNN++. */
  static NDArray logisticLogProb(NDArray x, NDArray mean, NDArray logScale, PixelNormalization n) {
    double half = n.binWidth() / 2;
    NDArray ls = atLeast(logScale, MIN_LOG_SCALE);
    NDArray invScale = ls.neg().exp();
    NDArray centered = x.sub(mean);
    NDArray plusIn = centered.add(half).mul(invScale);
    NDArray minIn = centered.sub(half).mul(invScale);
    // log sigmoid(a) = a - softplus(a); log(1 - sigmoid(b)) = -softplus(b).
    NDArray logCdfPlus = plusIn.sub(softplus(plusIn));
    NDArray logOneMinusCdfMin = softplus(minIn).neg();
    NDArray cdfDelta = Activation.sigmoid(plusIn).sub(Activation.sigmoid(minIn));
    // Where the bin mass underflows, the density at the centre times the bin width is accurate.
    NDArray midIn = centered.mul(invScale);
    NDArray logPdfMid = midIn.sub(ls).sub(mul(softplus(midIn), 2)).add(Math.log(n.binWidth()));
    NDArray inner = NDArrays.where(cdfDelta.gt(1e-5), atLeast(cdfDelta, 1e-12).log(), logPdfMid);
    return edges(x, n, logCdfPlus, logOneMinusCdfMin, inner);
  }

  /** Gaussian with mean {@code mean} and log standard deviation {@code logScale}. */
  static NDArray gaussianLogProb(NDArray x, NDArray mean, NDArray logScale, PixelNormalization n) {
    double half = n.binWidth() / 2;
    NDArray ls = atLeast(logScale, MIN_LOG_SCALE);
    NDArray invScale = ls.neg().exp();
    NDArray centered = x.sub(mean);
    NDArray plusIn = centered.add(half).mul(invScale);
    NDArray minIn = centered.sub(half).mul(invScale);
    NDArray logCdfPlus = logNormalCdf(plusIn);
    NDArray logOneMinusCdfMin = logNormalCdf(minIn.neg());
    // Take the difference on the side of the mean where the CDF is small, to avoid cancellation.
    NDArray upper = centered.gt(0);
    NDArray cdfDelta = NDArrays.where(upper,
        normalCdf(minIn.neg()).sub(normalCdf(plusIn.neg())),
        normalCdf(plusIn).sub(normalCdf(minIn)));
    NDArray midIn = centered.mul(invScale);
    NDArray logPdfMid = mul(midIn.square(), -0.5).sub(LOG_SQRT_2PI).sub(ls)
        .add(Math.log(n.binWidth()));
    NDArray inner = NDArrays.where(cdfDelta.gt(1e-6), atLeast(cdfDelta, 1e-12).log(), logPdfMid);
    return edges(x, n, logCdfPlus, logOneMinusCdfMin, inner);
  }

  private static NDArray edges(NDArray x, PixelNormalization n, NDArray first, NDArray last,
      NDArray inner) {
    double half = n.binWidth() / 2;
    NDArray isFirst = x.lt(n.low() + half);
    NDArray isLast = x.gt(n.high() - half);
    return NDArrays.where(isFirst, first, NDArrays.where(isLast, last, inner));
  }

  private static NDArray normalCdf(NDArray z) {
    return mul(mul(z, 1 / Math.sqrt(2)).erf().add(1), 0.5);
  }

  /**
   * log Phi(z). Far in the lower tail 1 + erf loses all precision in float32, so there the
   * asymptotic series Phi(z) ~ phi(z) / -z * (1 - 1/z^2 + 3/z^4) takes over (error below 0.4%).
   */
  static NDArray logNormalCdf(NDArray z) {
    double cut = -4.0;
    // Each branch sees only inputs on its own side, so the unused branch has finite gradients.
    NDArray zc = atLeast(z, cut);
    NDArray direct = atLeast(normalCdf(zc), 1e-30).log();
    NDArray zt = atMost(z, cut);
    NDArray inv2 = ScalarOps.constant(zt, 1).div(zt.square());
    NDArray series = mul(inv2.square(), 3).sub(inv2).add(1).log();
    NDArray tail = mul(zt.square(), -0.5).sub(LOG_SQRT_2PI).sub(zt.neg().log()).add(series);
    return NDArrays.where(z.lt(cut), tail, direct);
  }
}
