package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** The `vq` command against the project's own config/ directory. */
class VqCommandTest {

  @Test
  void pluginsListsEveryKindWithSources() {
    VqRun r = VqRun.of("plugins");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("tracker\\s+local\\s+vq-experiments.*")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("launcher\\s+basic\\s+vq-experiments.*")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("quantizer\\s+ema\\s+vq-core.*")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("dataset\\s+fashion_mnist\\s+vq-core.*")), r.out());
  }

  @Test
  void configWithPresetGroupOptionAndOverride() {
    VqRun r = VqRun.of("config", "quantizer=standard", "trainer.batch_size=64", "seed=7");
    assertEquals(0, r.exitCode(), r.err());
    Config c = ConfigFactory.parseString(r.out());
    assertEquals("standard", c.getString("quantizer.type"));
    assertEquals(64, c.getInt("trainer.batch_size"));
    assertEquals(7, c.getInt("seed"));
  }

  @Test
  void originsShowFileAndLine() {
    VqRun r = VqRun.of("config", "--origins", "seed=3");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("trainer.batch_size = 128") && l.contains("default.conf: ")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("seed = 3") && l.contains("command line: seed=3")), r.out());
  }

  @Test
  void unknownKeyExitsTwoWithOriginAndClosestKey() {
    VqRun r = VqRun.of("config", "trainer.nonexistent_key=1");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("'trainer.nonexistent_key'"), r.err());
    assertTrue(r.err().contains("command line: trainer.nonexistent_key=1"), r.err());
    assertTrue(r.err().contains("closest known key: 'trainer."), r.err());
  }

  @Test
  void unknownQuantizerOptionListsKnownOnes() {
    VqRun r = VqRun.of("config", "quantizer=nope");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("unknown quantizer option 'nope'"), r.err());
    assertTrue(r.err().contains("ema") && r.err().contains("standard"), r.err());
  }

  @Test
  void unknownPluginNameListsRegisteredOnes() {
    VqRun r = VqRun.of("config", "quantizer.type=nope");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("unknown quantizer 'nope'"), r.err());
    assertTrue(r.err().contains("known quantizers: [ema, ") && r.err().contains("standard]"), r.err());
  }

  @Test
  void wrongTypeNamesKeyExpectedAndGiven() {
    VqRun r = VqRun.of("config", "trainer.batch_size=big");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("'trainer.batch_size': expected an integer but got string"), r.err());
  }

  @Test
  void missingRequiredValueNamesKey() {
    VqRun r = VqRun.of("config", "~trainer.max_steps");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("missing required value 'trainer.max_steps'"), r.err());
  }

  @Test
  void presetComposesWithAQuantizerThatHasNoCodebookKeys() {
    // identity (vq-core's test plugin) declares only code_dim: the preset forces no codebook keys.
    VqRun r = VqRun.of("config", "experiment=fashion_mnist_vqvae_paper", "quantizer=identity");
    assertEquals(0, r.exitCode(), r.err());
    Config c = ConfigFactory.parseString(r.out());
    assertEquals("identity", c.getString("quantizer.type"));
    assertEquals(128, c.getInt("model.channels"));
    // With its own quantizer (ema) the preset is still the reference K = 512, D = 64.
    Config ema = ConfigFactory.parseString(VqRun.of("config", "experiment=fashion_mnist_vqvae_paper").out());
    assertEquals(512, ema.getInt("quantizer.num_codes"));
    assertEquals(64, ema.getInt("quantizer.code_dim"));
  }

  @Test
  void vqvae2PerLevelCodebookSizesGoThroughTheQuantizer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
      throws Exception {
    assertEquals(0, VqRun.of("config", "model=vqvae2", "quantizer=identity").exitCode());
    assertEquals(0, VqRun.of("config", "model=vqvae2", "model.num_codes=[8, 16]").exitCode());
    // A codebook size for a quantizer without a codebook stops the launch before any directory.
    VqRun r = VqRun.of("train", "output_dir=" + out, "model=vqvae2", "quantizer=identity",
        "model.num_codes=[8, 16]");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("model.num_codes[0] = 8 asks quantizer 'identity'"), r.err());
    assertTrue(r.err().contains("remove model.num_codes"), r.err());
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(out)) {
      assertEquals(0, files.count());
    }
    // An invalid per-level size is caught by the quantizer's own record, naming the key that set it.
    VqRun zero = VqRun.of("config", "model=vqvae2", "model.num_codes=[0, 16]");
    assertEquals(Vq.CONFIG_ERROR, zero.exitCode());
    assertTrue(zero.err().contains("num_codes"), zero.err());
  }
}
