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

}
