package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.models.likelihood.LikelihoodKind;
import org.vqlab.models.testing.ModelFixtures;

/** The shipped config/model/*.conf files bind to their records with the documented defaults. */
class ModelConfigTest {

  @Test
  void vqvaeDefaults() {
    VqVaeConfig c = ModelFixtures.modelSection("vqvae", "").bind(VqVaeConfig.class);
    assertEquals(new VqVaeConfig(128, 32, 2, 4, LikelihoodKind.DISCRETIZED_LOGISTIC, 1.0, 0.1, false), c);
  }

  @Test
  void vqvae2Defaults() {
    VqVae2Config c = ModelFixtures.modelSection("vqvae2", "").bind(VqVae2Config.class);
    assertEquals(new VqVae2Config(2, 128, 32, 2, 4, List.of(), LikelihoodKind.DISCRETIZED_LOGISTIC, 1.0, 0.1, false), c);
  }

  @Test
  void vaeDefaults() {
    GaussianVaeConfig c = ModelFixtures.modelSection("vae", "").bind(GaussianVaeConfig.class);
    assertEquals(new GaussianVaeConfig(64, 128, 32, 2, 4, LikelihoodKind.DISCRETIZED_LOGISTIC, 1.0,
        0.1, false), c);
  }

  @Test
  void fullMapping() {
    VqVae2Config c = ModelFixtures.modelSection("vqvae2", "levels = 3, channels = 64,"
        + " residual_channels = 16, residual_blocks = 4, downsample = 2, num_codes = [8, 16, 32],"
        + " likelihood = gaussian, data_variance = 0.06, gaussian_scale = 0.2, learn_scale = true")
        .bind(VqVae2Config.class);
    assertEquals(new VqVae2Config(3, 64, 16, 4, 2, List.of(8, 16, 32), LikelihoodKind.GAUSSIAN, 0.06,
        0.2, true), c);
  }

  @Test
  void pluginsAreRegisteredUnderTheirNames() {
    assertTrue(ModelFixtures.REGISTRY.all(PluginKind.MODEL).keySet()
        .containsAll(List.of("vqvae", "vqvae2", "vae")));
    assertEquals(VqVae2Config.class,
        ModelFixtures.REGISTRY.factory(PluginKind.MODEL, "vqvae2").configType());
  }

  @Test
  void invalidValuesNameTheirKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> ModelFixtures.modelSection("vqvae",
        "likelihood = discretized_logistic, learn_scale = true").bind(VqVaeConfig.class));
    assertTrue(e.getMessage().contains("model.learn_scale"), e.getMessage());
    ConfigError e2 = assertThrows(ConfigError.class, () -> ModelFixtures.modelSection("vae",
        "likelihood = bernoulli").bind(GaussianVaeConfig.class));
    assertTrue(e2.getMessage().contains("model.likelihood"), e2.getMessage());
    ConfigError e3 = assertThrows(ConfigError.class, () -> ModelFixtures.modelSection("vqvae",
        "channel = 64").bind(VqVaeConfig.class));
    assertTrue(e3.getMessage().contains("model.channel"), e3.getMessage());
    ConfigError e4 = assertThrows(ConfigError.class, () -> ModelFixtures.modelSection("vqvae",
        "data_variance = 0").bind(VqVaeConfig.class));
    assertTrue(e4.getMessage().contains("model.data_variance"), e4.getMessage());
  }
}
