package org.vqlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.MetricFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.testing.ConfigDirs;
import org.vqlab.eval.metrics.BitsPerDimConfig;
import org.vqlab.eval.metrics.ReconstructionConfig;

/** The eval section of config/config.conf: defaults, the metric subsections, and typos. */
class EvalConfigTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.load();

  /**
   * The eval section of the project's config.conf composed as a launch does, so that every metric
   * plugin's own subsection (config/sections/eval/<metric>.conf in its jar) is merged in.
   */
  private static Section eval(String overrides) {
    Config real = ConfigFactory.parseFile(new File("../config/config.conf"));
    Path dir;
    try {
      dir = Files.createTempDirectory("eval-config");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ConfigDirs.write(dir, "config.conf", "defaults = []\neval = "
        + real.getConfig("eval").root().render(ConfigRenderOptions.concise()) + "\n");
    Config composed = ConfigDirs.composer(dir).compose(List.of()).config().getConfig("eval");
    return new Section("eval", ConfigFactory.parseString(overrides).withFallback(composed).resolve());
  }

  @Test
  void defaultsOfTheRepositoryConfig() {
    Section eval = eval("");
    EvalConfig c = EvalConfig.bind(eval, REGISTRY);
    assertEquals(List.of("bits_per_dim", "reconstruction", "codebook_usage"), c.metrics());
    assertEquals(128, c.batchSize());
    assertEquals(0, c.maxItems());
    assertEquals(new BitsPerDimConfig(0), eval.child("bits_per_dim").bind(BitsPerDimConfig.class));
    assertEquals(new ReconstructionConfig(16),
        eval.child("reconstruction").bind(ReconstructionConfig.class));
    assertEquals(List.of("bits_per_dim", "codebook_usage", "reconstruction", "video_prediction"),
        List.copyOf(REGISTRY.all(PluginKind.METRIC).keySet()));
    MetricFactory f = REGISTRY.factory(PluginKind.METRIC, "bits_per_dim");
    assertEquals("bits_per_dim", f.create(eval.child("bits_per_dim")).name());
  }

  @Test
  void typosAndUnknownMetricsAreErrorsNamingTheKey() {
    ConfigError typo = assertThrows(ConfigError.class,
        () -> EvalConfig.bind(eval("bits_per_dim.iwae_sample = 3"), REGISTRY));
    assertTrue(typo.getMessage().contains("eval.bits_per_dim.iwae_sample"), typo.getMessage());
    ConfigError top = assertThrows(ConfigError.class,
        () -> EvalConfig.bind(eval("batchsize = 3"), REGISTRY));
    assertTrue(top.getMessage().contains("eval.batchsize"), top.getMessage());
    ConfigError unknown = assertThrows(ConfigError.class,
        () -> EvalConfig.bind(eval("metrics = [bits_per_dim, fid]"), REGISTRY));
    assertTrue(unknown.getMessage().contains("unknown metric 'fid'")
        && unknown.getMessage().contains("codebook_usage"), unknown.getMessage());
    ConfigError negative = assertThrows(ConfigError.class,
        () -> EvalConfig.bind(eval("bits_per_dim.iwae_samples = -1"), REGISTRY));
    assertTrue(negative.getMessage().contains("iwae_samples"), negative.getMessage());
  }
}
