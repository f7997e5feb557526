package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ImportanceWeightedBound;
import org.vqlab.models.testing.ModelFixtures;

/** The importance-weighted bound against the ELBO it generalises (Burda et al., 2016). */
class GaussianVaeIwaeTest {

  /** Mean and standard error of the per-image-summed estimates over the draws. */
  private static double[] meanAndError(NDManager m, int draws,
      java.util.function.Function<NDManager, NDArray> estimate) {
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < draws; i++) {
      try (NDManager scope = m.newSubManager()) {
        double v = estimate.apply(scope).sum().getFloat();
        sum += v;
        sumSq += v * v;
      }
    }
    double mean = sum / draws;
    double var = sumSq / draws - mean * mean;
    return new double[] {mean, Math.sqrt(Math.max(var, 0) / draws)};
  }

  @Test
  void oneSampleBoundHasTheElboExpectationAndMoreSamplesTighten() {
    Engine.getInstance().setRandomSeed(7);
    try (NDManager m = NDManager.newBaseManager()) {
      Autoencoder vae = ModelFixtures.initialized(m, "vae", "latent_dim = 2\nchannels = 8\n"
          + "residual_channels = 4\nresidual_blocks = 1\ndownsample = 2",
          ModelFixtures.quantizerSection(4, 2), new Shape(1, 8, 8), 2);
      ImportanceWeightedBound iwae = (ImportanceWeightedBound) vae;
      ParameterStore ps = new ParameterStore(m, false);
      Shape shape = new Shape(2, 1, 8, 8);
      float[] pixels = new float[(int) shape.size()];
      java.util.Random random = new java.util.Random(3);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextInt(256) / 255f - 0.5f;
      }
      // Closed-form KL (logLikelihood) and sampled density ratio (k = 1) estimate the same ELBO.
      double[] elbo = meanAndError(m, 120, s -> vae.logLikelihood(ps, s.create(pixels, shape), null));
      double[] one = meanAndError(m, 120, s -> iwae.importanceWeightedLogLikelihood(ps, s.create(pixels, shape), 1));
      double tolerance = 4 * Math.hypot(elbo[1], one[1]);
      assertEquals(elbo[0], one[0], tolerance, "ELBO " + elbo[0] + " vs k=1 " + one[0]);
      // log-mean-exp of 16 weights is larger than their mean log, for every draw.
      double[] many = meanAndError(m, 8, s -> iwae.importanceWeightedLogLikelihood(ps, s.create(pixels, shape), 16));
      assertTrue(many[0] > elbo[0] + tolerance, "k=16 " + many[0] + " vs ELBO " + elbo[0]);
    }
  }
}
