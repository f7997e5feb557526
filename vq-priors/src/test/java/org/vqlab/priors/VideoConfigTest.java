package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.prior.PriorContext;

/** config/prior/video_pixelcnn.conf binds with its documented defaults; bad values name their key. */
class VideoConfigTest {

  @Test
  void defaults() {
    assertEquals(new VideoPixelCnnConfig(64, 10, 3, 0.0, true, 4, 64, 2),
        VideoFixtures.section("").bind(VideoPixelCnnConfig.class));
  }

  @Test
  void fullMapping() {
    assertEquals(new VideoPixelCnnConfig(128, 20, 5, 0.1, false, 6, 32, 3),
        VideoFixtures.section("channels = 128, layers = 20, kernel_size = 5, dropout = 0.1,"
            + " class_conditional = false, context = 6, conditioning_channels = 32,"
            + " conditioning_layers = 3").bind(VideoPixelCnnConfig.class));
  }

  @Test
  void registeredAsPriorPlugin() {
    assertEquals(VideoPixelCnnConfig.class,
        PriorFixtures.REGISTRY.factory(PluginKind.PRIOR, "video_pixelcnn").configType());
  }

  @Test
  void invalidValuesNameTheirKey() {
    for (String[] bad : new String[][] {{"context = 0", "'prior': context"},
        {"kernel_size = 4", "'prior': kernel_size"}, {"conditioning_layers = -1",
        "'prior': conditioning_layers"}, {"frames = 4", "prior.frames"}}) {
      ConfigError e = assertThrows(ConfigError.class,
          () -> VideoFixtures.section(bad[0]).bind(VideoPixelCnnConfig.class));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  @Test
  void parameterCountIsTheFramePriorPlusThePastStack() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PriorContext context = new PriorContext(5, 4, 4, 0, 0, 0, 0);
      VideoPixelCnn video = VideoFixtures.prior(manager, "channels = 8, layers = 1, context = 3,"
          + " conditioning_channels = 6, conditioning_layers = 2", context);
      GatedPixelCnn image = PriorFixtures.prior(manager, "channels = 8, layers = 1", context);
      long e = 6;
      long past = 6 * e // embedding of K + 1 = 6 values
          + (3 * 3 * 3 * e * e + e) // mix: 3 x 3 over 3 stacked frames
          + 2 * (3 * 3 * e * e + e) // conditioning layers
          + (e * 2 * 2 * 8 + 2 * 2 * 8); // projection to 2 gated layers x 2C
      assertEquals(count(image) + past, count(video));
      assertEquals(3, video.frame().pastFrames());
    }
  }

  @Test
  void upperLevelIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VideoPixelCnn(new VideoPixelCnnConfig(8, 1, 3, 0, true, 2, 8, 1),
            new PriorContext(5, 8, 8, 4, 4, 4, 0)));
    assertTrue(e.getMessage().contains("single level"), e.getMessage());
  }

  private static long count(ai.djl.nn.Block block) {
    long[] n = {0};
    block.getParameters().forEach(p -> n[0] += p.getValue().getArray().size());
    return n[0];
  }
}
