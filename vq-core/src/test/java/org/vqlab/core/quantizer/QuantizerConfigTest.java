package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.testing.ConfigDirs;

/** The shipped config files bind to the records with the documented defaults; bad values fail. */
class QuantizerConfigTest {

  private static Section section(String option) {
    return new Section("quantizer", ConfigDirs.resource("quantizer/" + option + ".conf").resolve());
  }

  private static Section with(Section s, String key, Object value) {
    Config c = ConfigFactory.parseString(key + " = " + value).withFallback(s.config());
    return new Section(s.path(), c);
  }

  @Test
  void standardDefaults() {
    Section s = section("standard");
    assertEquals("standard", s.type());
    StandardQuantizerConfig c = s.bind(StandardQuantizerConfig.class);
    assertEquals(new StandardQuantizerConfig(512, 64, 0.25, CodebookInit.UNIFORM, 10,
        CodeDistance.L2, 0.0, 0.99, 8192), c);
  }

  @Test
  void emaDefaultsHaveCodebookHealthOn() {
    Section s = section("ema");
    assertEquals("ema", s.type());
    EmaQuantizerConfig c = s.bind(EmaQuantizerConfig.class);
    assertEquals(new EmaQuantizerConfig(512, 64, 0.25, 0.99, 1e-5, true, CodebookInit.KMEANS, 10,
        CodeDistance.L2, 1.0, 8192), c);
  }

  @Test
  void fullMappingOfEveryKey() {
    Section s = with(with(with(with(section("ema"), "distance", "cosine"), "init", "normal"),
        "zero_debias", false), "chunk_size", 128);
    EmaQuantizerConfig c = s.bind(EmaQuantizerConfig.class);
    assertEquals(CodeDistance.COSINE, c.distance());
    assertEquals(CodebookInit.NORMAL, c.init());
    assertEquals(false, c.zeroDebias());
    assertEquals(128, c.chunkSize());
  }

  @Test
  void invalidValuesNameTheirKey() {
    ConfigError decay = assertThrows(ConfigError.class,
        () -> with(section("ema"), "decay", 1.0).bind(EmaQuantizerConfig.class));
    assertTrue(decay.getMessage().contains("decay"), decay.getMessage());
    ConfigError k = assertThrows(ConfigError.class,
        () -> with(section("standard"), "num_codes", 0).bind(StandardQuantizerConfig.class));
    assertTrue(k.getMessage().contains("num_codes"), k.getMessage());
    ConfigError eps = assertThrows(ConfigError.class,
        () -> with(section("ema"), "epsilon", 0).bind(EmaQuantizerConfig.class));
    assertTrue(eps.getMessage().contains("epsilon"), eps.getMessage());
    ConfigError unknown = assertThrows(ConfigError.class,
        () -> with(section("standard"), "decay", 0.9).bind(StandardQuantizerConfig.class));
    assertTrue(unknown.getMessage().contains("quantizer.decay"), unknown.getMessage());
  }

  private static Section resource(String option) {
    return new Section("quantizer",
        ConfigFactory.parseResources("config/quantizer/" + option + ".conf").resolve());
  }

  @Test
  void fsqDefaults() {
    Section s = resource("fsq");
    assertEquals("fsq", s.type());
    assertEquals(new FsqConfig(java.util.List.of(8, 8, 8), FsqScale.DATA, 1e-3),
        s.bind(FsqConfig.class));
    FsqConfig full = with(with(with(s, "levels", "[8, 5, 5, 5]"), "scale", "none"),
        "bound_epsilon", 0).bind(FsqConfig.class);
    assertEquals(new FsqConfig(java.util.List.of(8, 5, 5, 5), FsqScale.NONE, 0), full);
    ConfigError bad = assertThrows(ConfigError.class,
        () -> with(s, "levels", "[8, 1]").bind(FsqConfig.class));
    assertTrue(bad.getMessage().contains("levels"), bad.getMessage());
  }

  @Test
  void lfqDefaults() {
    Section s = resource("lfq");
    assertEquals("lfq", s.type());
    assertEquals(new LfqConfig(9, 0.25, 0.1, 1.0, 0.01, 4096), s.bind(LfqConfig.class));
    LfqConfig full = with(with(with(with(with(with(s, "code_dim", 12), "commitment_cost", 0.5),
        "entropy_weight", 0.2), "diversity_weight", 0.5), "temperature", 0.1), "chunk_size", 0)
        .bind(LfqConfig.class);
    assertEquals(new LfqConfig(12, 0.5, 0.2, 0.5, 0.1, 0), full);
    ConfigError big = assertThrows(ConfigError.class,
        () -> with(s, "code_dim", 17).bind(LfqConfig.class));
    assertTrue(big.getMessage().contains("code_dim"), big.getMessage());
  }

  @Test
  void codebookOptionsMapEveryKey() {
    StandardQuantizerConfig c = with(with(with(with(section("standard"), "gradient", "rotation"),
        "affine", true), "affine_momentum", 0.5), "sync_nu", 0.2)
        .bind(StandardQuantizerConfig.class);
    assertEquals(new CodebookOptions(GradientEstimator.ROTATION, true, 0.5, 0.2), c.options());
    EmaQuantizerConfig e = with(with(section("ema"), "gradient", "rotation"), "affine", true)
        .bind(EmaQuantizerConfig.class);
    assertEquals(new CodebookOptions(GradientEstimator.ROTATION, true, 0.1, 0), e.options());
    ConfigError momentum = assertThrows(ConfigError.class,
        () -> with(section("ema"), "affine_momentum", 0).bind(EmaQuantizerConfig.class));
    assertTrue(momentum.getMessage().contains("affine_momentum"), momentum.getMessage());
    ConfigError gradient = assertThrows(ConfigError.class,
        () -> with(section("standard"), "gradient", "gumbel").bind(StandardQuantizerConfig.class));
    assertTrue(gradient.getMessage().contains("quantizer.gradient"), gradient.getMessage());
  }

  @Test
  void pluginRegistersBothQuantizersAndBuildsThem() {
    PluginRegistry registry = PluginRegistry.load();
    assertTrue(registry.all(PluginKind.QUANTIZER).keySet().containsAll(
        java.util.List.of("standard", "ema", "fsq", "lfq")));
    Quantizer ema = new Quantizers(registry).create(with(section("ema"), "num_codes", 32));
    assertInstanceOf(EmaVectorQuantizer.class, ema);
    assertEquals(32, ema.numCodes());
    Quantizer standard = new Quantizers(registry).create(section("standard"));
    assertInstanceOf(VectorQuantizer.class, standard);
    assertEquals(64, standard.codeDim());
  }
}
