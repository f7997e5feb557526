package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.prior.PriorContext;

/** config/prior/gated_pixelcnn.conf binds with its documented defaults; bad values name their key. */
class PriorConfigTest {

  @Test
  void defaults() {
    assertEquals(new GatedPixelCnnConfig(64, 10, 3, 0.0, true, 64, 2),
        PriorFixtures.section("").bind(GatedPixelCnnConfig.class));
  }

  @Test
  void fullMapping() {
    assertEquals(new GatedPixelCnnConfig(128, 20, 5, 0.1, false, 32, 3),
        PriorFixtures.section("channels = 128, layers = 20, kernel_size = 5, dropout = 0.1,"
            + " class_conditional = false, conditioning_channels = 32, conditioning_layers = 3")
            .bind(GatedPixelCnnConfig.class));
  }

  @Test
  void registeredAsPriorPlugin() {
    assertEquals(GatedPixelCnnConfig.class,
        PriorFixtures.REGISTRY.factory(PluginKind.PRIOR, "gated_pixelcnn").configType());
  }

  @Test
  void invalidValuesNameTheirKey() {
    // The binder prefixes a record's message with the section: "invalid 'prior': kernel_size ...".
    for (String[] bad : new String[][] {{"kernel_size = 4", "'prior': kernel_size"},
        {"dropout = 1", "'prior': dropout"}, {"layers = -1", "'prior': layers"},
        {"channel = 8", "prior.channel"}}) {
      ConfigError e = assertThrows(ConfigError.class,
          () -> PriorFixtures.section(bad[0]).bind(GatedPixelCnnConfig.class));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  @Test
  void parameterCountFollowsTheArchitecture() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // C = 8, K = 5, 1 + 1 gated layers, kernel 3 (pad 1), 4 classes, no upper level.
      GatedPixelCnn prior = PriorFixtures.prior(manager, "channels = 8, layers = 1",
          new PriorContext(5, 4, 4, 0, 0, 0, 4));
      long c = 8;
      long perLayer = (2 * 3 * c * 2 * c + 2 * c) // vertical 2 x 3
          + (2 * c * 2 * c + 2 * c) // link 1 x 1
          + (c * c + c); // skip
      long horizontal = (1 * c * 2 * c + 2 * c) + (2 * c * 2 * c + 2 * c); // mask A 1 x 1, mask B 1 x 2
      long expected = 5 * c // code embedding
          + 2 * perLayer + horizontal + (c * c + c) // one residual (not after the last layer)
          + (c * c + c) + (c * 5 + 5) // head
          + 4 * 2 * 2 * c; // class biases
      long[] count = {0};
      prior.getParameters().forEach(p -> count[0] += p.getValue().getArray().size());
      assertEquals(expected, count[0]);
      assertEquals(2, prior.reach());
    }
  }

  @Test
  void upperGridMustDivideTheGrid() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GatedPixelCnn(new GatedPixelCnnConfig(8, 1, 3, 0, true, 8, 1),
            new PriorContext(5, 8, 8, 4, 3, 3, 0)));
    assertTrue(e.getMessage().contains("3 x 3"), e.getMessage());
  }
}
