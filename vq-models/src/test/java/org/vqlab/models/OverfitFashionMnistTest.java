package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.models.testing.AdamSteps;
import org.vqlab.core.testing.FashionMnistFiles;
import org.vqlab.models.testing.ModelFixtures;

/**
 * Each model must fit one fixed batch of 64 real Fashion-MNIST images: the reconstruction MSE (in
 * [0, 1] pixel units) falls below a threshold within 200 Adam steps (lr 3e-3, 16 channels). For
 * scale, predicting the batch's mean image scores about 0.09; measured after 200 steps (seed 7):
 * vqvae 0.021, vqvae2 0.008, vae 0.028, and the thresholds leave room for thread-order noise.
 */
class OverfitFashionMnistTest {
  private static final String SMALL = "channels = 16, residual_channels = 8, residual_blocks = 1";

  @BeforeAll
  static void seed() {
    Engine.getInstance().setRandomSeed(7);
  }

  /** Trains for {@code steps} and returns the evaluation-mode MSE on the batch. */
  private static float overfit(String type, String overrides, int steps, float lr) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = FashionMnistFiles.firstTrainImages(manager, 64);
      Autoencoder model = ModelFixtures.initialized(manager, type, SMALL + ", " + overrides,
          ModelFixtures.quantizerSection(64, 16), new Shape(1, 28, 28), 64);
      ParameterStore ps = new ParameterStore(manager, false);
      AdamSteps adam = new AdamSteps(model, manager, lr);
      for (int step = 0; step < steps; step++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray batch = x.duplicate();
          batch.attach(scope);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            AutoencoderOutput out = model.compute(ps, batch, true);
            gc.backward(out.loss());
          }
          adam.step();
        }
      }
      try (NDManager scope = manager.newSubManager()) {
        NDArray batch = x.duplicate();
        batch.attach(scope);
        float mse = model.compute(ps, batch, false).terms().get("mse").getFloat();
        System.out.println(type + " (" + overrides + ") after " + steps + " steps: mse " + mse);
        return mse;
      }
    }
  }

  @Test
  void meanImageBaselineIsFarAboveTheThresholds() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = FashionMnistFiles.firstTrainImages(manager, 64);
      float baseline = x.sub(x.mean(new int[] {0}, true)).square().mean().getFloat();
      System.out.println("mean-image MSE of the batch: " + baseline);
      assertTrue(baseline > 0.06f, "baseline " + baseline);
    }
  }

  @Test
  void vqvaeFitsOneBatch() throws IOException {
    float mse = overfit("vqvae", "downsample = 4, likelihood = mse", 200, 3e-3f);
    assertTrue(mse < 0.03f, "mse " + mse);
  }

  @Test
  void vqvae2FitsOneBatch() throws IOException {
    float mse = overfit("vqvae2", "levels = 2, downsample = 2, likelihood = mse", 200, 3e-3f);
    assertTrue(mse < 0.015f, "mse " + mse);
  }

  @Test
  void vaeFitsOneBatch() throws IOException {
    float mse = overfit("vae", "downsample = 4, latent_dim = 16, likelihood = discretized_logistic", 200, 3e-3f);
    assertTrue(mse < 0.04f, "mse " + mse);
  }
}
