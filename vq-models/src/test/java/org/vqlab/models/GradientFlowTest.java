package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.models.testing.AdamSteps;
import org.vqlab.models.testing.ModelFixtures;
import org.vqlab.models.testing.NearestNeighbourQuantizer;

class GradientFlowTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
      "vqvae; likelihood = mse",
      "vqvae; likelihood = discretized_logistic",
      "vqvae; 'likelihood = gaussian, learn_scale = true'",
      "vqvae2; 'levels = 2, downsample = 2'",
      "vqvae2; 'levels = 3, downsample = 2, likelihood = discretized_logistic'",
      "vae; likelihood = mse",
      "vae; likelihood = discretized_logistic"})
  void everyTrainableParameterGetsAGradientAndStateIsNotOptimised(String type, String extra) {
    Shape image = new Shape(1, 32, 32);
    try (NDManager manager = NDManager.newBaseManager()) {
      Autoencoder model = ModelFixtures.initialized(manager, type,
          "channels = 8, residual_channels = 4, residual_blocks = 1, " + extra,
          ModelFixtures.quantizerSection(8, 4), image, 8);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray x = manager.randomUniform(-0.5f, 0.5f, new Shape(8, 1, 32, 32));
      AdamSteps adam = new AdamSteps(model, manager, 1e-3f);
      try (NDManager step = manager.newSubManager()) {
        NDArray xs = x.duplicate();
        xs.attach(step);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          AutoencoderOutput out = model.compute(ps, xs, true);
          gc.backward(out.loss());
        }
        int trainable = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
          NDArray w = p.getValue().getArray();
          if (!p.getValue().requiresGradient()) {
            assertFalse(adam.parameters().contains(p.getValue()), p.getKey());
            continue;
          }
          trainable++;
          assertTrue(adam.parameters().contains(p.getValue()), p.getKey());
          try (NDArray g = w.getGradient()) {
            float norm = g.norm().getFloat();
            assertTrue(norm > 0 && Float.isFinite(norm), p.getKey() + " gradient norm " + norm);
          }
        }
        assertEquals(adam.parameters().size(), trainable);
        // The non-trained usage counts hold exactly the quantised vectors of this one pass.
        for (var q : model.quantizers()) {
          NearestNeighbourQuantizer nn = (NearestNeighbourQuantizer) q;
          float before = nn.usage().sum().getFloat();
          adam.step();
          assertEquals(before, nn.usage().sum().getFloat(), 0f);
          assertTrue(before > 0);
        }
      }
    }
  }
}
