package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.models.testing.ModelFixtures;

/** Every block of the models saves and loads its parameters (and quantizer state) with DJL. */
class ParameterRoundTripTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"vqvae; likelihood = discretized_logistic",
      "vqvae2; 'levels = 3, downsample = 2'", "vae; likelihood = mse"})
  void savedParametersReproduceTheModel(String type, String extra)
      throws IOException, MalformedModelException {
    String overrides = "channels = 8, residual_channels = 4, residual_blocks = 1, " + extra;
    Shape image = new Shape(1, 32, 32);
    try (NDManager manager = NDManager.newBaseManager()) {
      Autoencoder a = ModelFixtures.initialized(manager, type, overrides,
          ModelFixtures.quantizerSection(8, 4), image, 2);
      Autoencoder b = ModelFixtures.initialized(manager, type, overrides,
          ModelFixtures.quantizerSection(8, 4), image, 2);
      NDArray x = manager.randomUniform(-0.5f, 0.5f, new Shape(2, 1, 32, 32));
      ParameterStore ps = new ParameterStore(manager, false);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.saveParameters(new DataOutputStream(bytes));
      NDArray before = b.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow();
      NDArray ra = a.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow();
      assertTrue(type.equals("vae") || ra.sub(before).abs().max().getFloat() > 0,
          "independently initialised models differ");
      b.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      // A ParameterStore caches the arrays it has handed out; loading replaces them.
      ps = new ParameterStore(manager, false);
      if (type.equals("vae")) {
        // The VAE samples; compare the posterior means instead.
        NDArray ma = ((GaussianVae) a).posterior(ps, x, false).get(0);
        NDArray mb = ((GaussianVae) b).posterior(ps, x, false).get(0);
        assertEquals(0f, ma.sub(mb).abs().max().getFloat(), 0f);
      } else {
        NDArray rb = b.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow();
        assertEquals(0f, ra.sub(rb).abs().max().getFloat(), 0f);
      }
    }
  }
}
