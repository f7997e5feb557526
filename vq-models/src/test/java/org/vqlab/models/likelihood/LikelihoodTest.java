package org.vqlab.models.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.vqlab.core.data.PixelNormalization;

class LikelihoodTest {
  private static final PixelNormalization CENTERED = PixelNormalization.CENTERED;
  private static final PixelNormalization SYMMETRIC = new PixelNormalization(-1, 1);

  /** All 256 pixel values as a (1, 1, 1, 256) image. */
  private static NDArray allValues(NDManager m, PixelNormalization n) {
    float[] v = new float[256];
    for (int i = 0; i < 256; i++) {
      v[i] = (float) n.toFloat(i);
    }
    return m.create(v, new Shape(1, 1, 1, 256));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void discretizedLogisticSumsToOneOverThe256Values() {
    double[][] cases = {{0.0, -3}, {0.3, -5}, {-0.49, -2}, {0.7, -4}, {-2.0, 0}, {0.1, -7}, {0.0, 1}};
    for (PixelNormalization n : new PixelNormalization[] {CENTERED, SYMMETRIC}) {
      try (NDManager m = NDManager.newBaseManager()) {
        DiscretizedLogisticLikelihood lik = new DiscretizedLogisticLikelihood(n);
        NDArray x = allValues(m, n);
        for (double[] c : cases) {
          NDArray logp = lik.elementLogProb(x, x.zerosLike().add(c[0]), x.zerosLike().add(c[1]));
          double total = logp.exp().sum().getFloat();
          assertEquals(1.0, total, 1e-5, "mean " + c[0] + " log-scale " + c[1]);
        }
      }
    }
  }

  @Test
  void discretizedLogisticBinProbabilityMatchesClosedForm() {
    try (NDManager m = NDManager.newBaseManager()) {
      DiscretizedLogisticLikelihood lik = new DiscretizedLogisticLikelihood(CENTERED);
      double mean = 0.1;
      double logScale = Math.log(0.05);
      double s = Math.exp(logScale);
      double w = 1.0 / 255;
      int[] values = {0, 100, 140, 255};
      float[] xs = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        xs[i] = (float) CENTERED.toFloat(values[i]);
      }
      NDArray x = m.create(xs, new Shape(1, 1, 1, values.length));
      NDArray decoded = NDArrays.concat(new NDList(x.zerosLike().add(mean),
          x.zerosLike().add(logScale)), 1);
      float[] logp = lik.elementLogProb(x, x.zerosLike().add(mean), x.zerosLike().add(logScale))
          .toFloatArray();
      for (int i = 0; i < values.length; i++) {
        double v = xs[i];
        double expected;
        if (values[i] == 0) {
          expected = sigmoid((v + w / 2 - mean) / s);
        } else if (values[i] == 255) {
          expected = 1 - sigmoid((v - w / 2 - mean) / s);
        } else {
          expected = sigmoid((v + w / 2 - mean) / s) - sigmoid((v - w / 2 - mean) / s);
        }
        assertEquals(Math.log(expected), logp[i], 1e-4, "value " + values[i]);
      }
      // The per-image log-likelihood is the sum, and the loss its negative mean per dimension.
      double sum = 0;
      for (float f : logp) {
        sum += f;
      }
      assertEquals(sum, lik.logLikelihood(decoded, x).getFloat(0), 1e-4);
      assertEquals(-sum / values.length, lik.loss(decoded, x).getFloat(), 1e-5);
    }
  }

  @Test
  void discretizedGaussianSumsToOneAndMatchesClosedFormInTheTail() {
    double[][] cases = {{0.0, -3}, {0.3, -5}, {-0.49, -2}, {0.7, -4}, {-2.0, 0}, {0.1, -7}};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = allValues(m, CENTERED);
      for (double[] c : cases) {
        NDArray logp = DiscreteDensities.gaussianLogProb(x, x.zerosLike().add(c[0]),
            x.zerosLike().add(c[1]), CENTERED);
        assertEquals(1.0, logp.exp().sum().getFloat(), 1e-5, "mean " + c[0] + " log-scale " + c[1]);
      }
      // log Phi(-6) = -20.7368 (tables); 1 + erf loses it entirely in float32.
      NDArray z = m.create(new float[] {-6f, -4.5f, 0f, 2f});
      float[] got = DiscreteDensities.logNormalCdf(z).toFloatArray();
      double[] expected = {-20.736768, -12.592493, Math.log(0.5), Math.log(0.97724987)};
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], got[i], Math.abs(expected[i]) * 4e-3 + 1e-5);
      }
    }
  }

  @Test
  void mseIsSquaredErrorOverDataVarianceAndReconstructsUnchanged() {
    try (NDManager m = NDManager.newBaseManager()) {
      MseLikelihood lik = new MseLikelihood(0.25, CENTERED);
      NDArray x = m.create(new float[] {0.1f, -0.2f, 0.3f, 0.0f}, new Shape(1, 1, 2, 2));
      NDArray y = m.create(new float[] {0.0f, 0.0f, 0.5f, 0.1f}, new Shape(1, 1, 2, 2));
      // (0.01 + 0.04 + 0.04 + 0.01) / 4 / 0.25 = 0.1
      assertEquals(0.1, lik.loss(y, x).getFloat(), 1e-6);
      assertEquals(y, lik.reconstruction(y));
    }
  }

  @Test
  void learnedGaussianScaleUsesTheSecondHalfOfTheDecoderChannels() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {0.1f}, new Shape(1, 1, 1, 1));
      GaussianLikelihood learned = new GaussianLikelihood(true, 0.1, CENTERED);
      GaussianLikelihood fixed = new GaussianLikelihood(false, 0.2, CENTERED);
      NDArray decoded = m.create(new float[] {0.0f, (float) Math.log(0.2)}, new Shape(1, 2, 1, 1));
      NDArray mean = m.create(new float[] {0.0f}, new Shape(1, 1, 1, 1));
      assertEquals(fixed.logLikelihood(mean, x).getFloat(0),
          learned.logLikelihood(decoded, x).getFloat(0), 1e-6);
      // Bin mass ~ pdf(0.1; 0, 0.2) * w for a narrow bin.
      double pdf = Math.exp(-0.5 * 0.25) / (0.2 * Math.sqrt(2 * Math.PI));
      assertEquals(Math.log(pdf / 255), learned.logLikelihood(decoded, x).getFloat(0), 1e-4);
    }
  }
}
