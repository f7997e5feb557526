package org.vqlab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.testing.ConfigDirs;

class ConfigComposerTest {
  @TempDir
  Path dir;
  ConfigComposer composer;

  @BeforeEach
  void writeConfigs() {
    ConfigDirs.write(dir, "config.conf", String.join("\n",
        "defaults = [",
        "  {model = small}",
        "  {trainer = default}",
        "]",
        "name = base",
        "seed = 0",
        "out = ${name}/runs",
        "tags = [a, b, c]"));
    ConfigDirs.write(dir, "model/small.conf", "type = vq\nchannels = 32\nlevels = [1, 2]\n");
    ConfigDirs.write(dir, "model/large.conf", "type = vq\nchannels = 256\nlevels = [1, 2, 3]\nextra = yes\n");
    ConfigDirs.write(dir, "trainer/default.conf", "steps = 100\nlr = 0.001\nlog_dir = ${out}/logs\n");
    ConfigDirs.write(dir, "experiment/big.conf", String.join("\n",
        "defaults = [{model = large}]",
        "name = big",
        "trainer.steps = 5000"));
    ConfigDirs.write(dir, "experiment/typo.conf", "trainer.stpes = 5\n");
    composer = ConfigDirs.composer(dir);
  }

  @Test
  void defaultsListComposesGroupsUnderTheirKeys() {
    ComposedConfig c = composer.compose(List.of());
    assertEquals(32, c.config().getInt("model.channels"));
    assertEquals(100, c.config().getInt("trainer.steps"));
    assertFalse(c.config().hasPath("defaults"));
    assertEquals("small", c.choices().get("model"));
  }

  @Test
  void groupOptionPresetAndKeyOverrideCombine() {
    ComposedConfig c = composer.compose(List.of("experiment=big", "trainer.lr=0.5", "model=small"));
    assertEquals("big", c.config().getString("name"));
    assertEquals(5000, c.config().getInt("trainer.steps"));
    assertEquals(0.5, c.config().getDouble("trainer.lr"), 0);
    // The command line's group choice wins over the preset's.
    assertEquals(32, c.config().getInt("model.channels"));
  }

  @Test
  void presetPicksItsGroupOption() {
    ComposedConfig c = composer.compose(List.of("experiment=big"));
    assertEquals(256, c.config().getInt("model.channels"));
    assertEquals("big", c.experiment());
  }

  @Test
  void addAndRemoveKeys() {
    ComposedConfig c = composer.compose(List.of("+model.dropout=0.1", "~model.levels"));
    assertEquals(0.1, c.config().getDouble("model.dropout"), 0);
    assertFalse(c.config().hasPath("model.levels"));
  }

  @Test
  void addingAnExistingKeyAndRemovingAMissingOneFail() {
    ConfigError add = assertThrows(ConfigError.class, () -> composer.compose(List.of("+model.channels=3")));
    assertTrue(add.getMessage().contains("exists already"), add.getMessage());
    ConfigError rm = assertThrows(ConfigError.class, () -> composer.compose(List.of("~model.nope")));
    assertTrue(rm.getMessage().contains("model.nope"), rm.getMessage());
  }

  @Test
  void interpolationIsResolvedAfterOverrides() {
    ComposedConfig c = composer.compose(List.of("name=changed"));
    assertEquals("changed/runs/logs", c.config().getString("trainer.log_dir"));
    ComposedConfig d = composer.compose(List.of("out=${name}-x"));
    assertEquals("base-x/logs", d.config().getString("trainer.log_dir"));
  }

  @Test
  void listsAreReplacedNotMerged() {
    ComposedConfig c = composer.compose(List.of("tags=[z]", "model=large"));
    assertEquals(List.of("z"), c.config().getStringList("tags"));
    assertEquals(List.of(1, 2, 3), c.config().getIntList("model.levels"));
    ComposedConfig d = composer.compose(List.of("model.levels=[7]"));
    assertEquals(List.of(7), d.config().getIntList("model.levels"));
  }

  @Test
  void urlsAndPathsWorkUnquoted() {
    ComposedConfig c = composer.compose(List.of("out=http://127.0.0.1:5000/api#x", "name=/tmp/a:b//c"));
    assertEquals("http://127.0.0.1:5000/api#x", c.config().getString("out"));
    assertEquals("/tmp/a:b//c", c.config().getString("name"));
    assertEquals("http://127.0.0.1:5000/api#x/logs", c.config().getString("trainer.log_dir"));
  }

  @Test
  void typedValuesFromTheCommandLine() {
    ComposedConfig c = composer.compose(List.of("seed=12345678901", "trainer.lr=1e-4", "name=true"));
    assertEquals(12345678901L, c.config().getLong("seed"));
    assertEquals(1e-4, c.config().getDouble("trainer.lr"), 0);
    assertTrue(c.config().getBoolean("name"));
  }

  @Test
  void unknownKeyNamesOriginAndClosestKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> composer.compose(List.of("trainer.stesp=3")));
    assertTrue(e.getMessage().contains("'trainer.stesp'"), e.getMessage());
    assertTrue(e.getMessage().contains("command line: trainer.stesp=3"), e.getMessage());
    assertTrue(e.getMessage().contains("closest known key: 'trainer.steps'"), e.getMessage());
  }

  @Test
  void closestKeyIsSoughtInTheSameSectionFirst() {
    ConfigError e = assertThrows(ConfigError.class, () -> composer.compose(List.of("trainer.channels=3")));
    // model.channels matches the name exactly, but the user was writing in trainer.
    assertTrue(e.getMessage().contains("closest known key: 'trainer."), e.getMessage());
  }

  @Test
  void unknownKeyInPresetNamesTheFileAndLine() {
    ConfigError e = assertThrows(ConfigError.class, () -> composer.compose(List.of("experiment=typo")));
    assertTrue(e.getMessage().contains("typo.conf: 1"), e.getMessage());
    assertTrue(e.getMessage().contains("trainer.steps"), e.getMessage());
  }

  @Test
  void keysOfAnotherGroupOptionAreNotDeclared() {
    assertThrows(ConfigError.class, () -> composer.compose(List.of("model.extra=no")));
    assertEquals("no", composer.compose(List.of("model=large", "model.extra=no")).config().getString("model.extra"));
  }

  @Test
  void unknownGroupOptionListsTheKnownOnes() {
    ConfigError e = assertThrows(ConfigError.class, () -> composer.compose(List.of("model=huge")));
    assertTrue(e.getMessage().contains("unknown model option 'huge'"), e.getMessage());
    assertTrue(e.getMessage().contains("[large, small]"), e.getMessage());
  }

  @Test
  void unknownExperimentListsPresets() {
    ConfigError e = assertThrows(ConfigError.class, () -> composer.compose(List.of("experiment=nope")));
    assertTrue(e.getMessage().contains("[big, typo]"), e.getMessage());
  }

  @Test
  void malformedOverrideIsExplained() {
    ConfigError e = assertThrows(ConfigError.class, () -> composer.compose(List.of("justaword")));
    assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
  }

  @Test
  void originsNameFileAndLine() {
    String origins = composer.compose(List.of("trainer.lr=0.3")).renderWithOrigins();
    assertTrue(origins.contains("model.channels = 32    # "), origins);
    assertTrue(origins.lines().anyMatch(l -> l.startsWith("model.channels") && l.contains("small.conf: 2")), origins);
    assertTrue(origins.lines().anyMatch(l -> l.startsWith("trainer.lr = 0.3") && l.contains("command line")), origins);
  }

  @Test
  void userDirectoriesComeFirstInTheOrderGivenAndTheirPresetsUseDefaults() {
    Path mine = dir.resolve("mine");
    Path theirs = dir.resolve("theirs");
    ConfigDirs.write(mine, "model/small.conf", "type = vq\nchannels = 7\nlevels = [1]\n");
    ConfigDirs.write(theirs, "model/small.conf", "type = vq\nchannels = 9\nlevels = [1]\n");
    ConfigDirs.write(theirs, "model/tiny.conf", "type = vq\nchannels = 3\nlevels = [1]\n");
    ConfigDirs.write(theirs, "experiment/mine.conf", "defaults = [{model = tiny}]\ntrainer.steps = 11\n");
    ComposedConfig c = composer.compose(List.of("config_path=" + mine + ":" + theirs, "experiment=mine"));
    assertEquals(3, c.config().getInt("model.channels"));
    assertEquals(11, c.config().getInt("trainer.steps"));
    assertEquals(7, composer.compose(List.of("config_path=" + mine + ":" + theirs)).config().getInt("model.channels"));
    // A later config_path= argument comes after an earlier one.
    assertEquals(9, composer.compose(List.of("config_path=" + theirs, "config_path=" + mine)).config().getInt("model.channels"));
    assertEquals(List.of(theirs, mine), composer.searchPathFor(List.of("config_path=" + theirs, "config_path=" + mine))
        .userDirectories());
    // Without user directories the project's file is used; the origin names the user file.
    assertEquals(32, composer.compose(List.of()).config().getInt("model.channels"));
    String origins = composer.compose(List.of("config_path=" + mine)).renderWithOrigins();
    assertTrue(origins.contains("model.channels = 7    # " + mine.resolve("model/small.conf") + ": 2"), origins);
  }

  @Test
  void errorsInUserDirectoriesNameTheFileAndLineOrTheDirectory() {
    Path mine = dir.resolve("mine");
    ConfigDirs.write(mine, "experiment/bad.conf", "\ntrainer.stpes = 5\n");
    ConfigError typo = assertThrows(ConfigError.class,
        () -> composer.compose(List.of("config_path=" + mine, "experiment=bad")));
    assertTrue(typo.getMessage().contains("'trainer.stpes'") && typo.getMessage().contains("bad.conf: 2"),
        typo.getMessage());
    ConfigError missing = assertThrows(ConfigError.class,
        () -> composer.compose(List.of("config_path=" + dir.resolve("absent"))));
    assertTrue(missing.getMessage().contains("config directory '" + dir.resolve("absent") + "'"), missing.getMessage());
  }

  @Test
  void pluginSectionsJoinTheirParentBelowEveryOtherLayer() {
    ConfigDirs.write(dir, "sections/trainer/schedule.conf", "warmup = 10\ndecay = 0.5\n");
    ConfigDirs.write(dir, "sections/absent/thing.conf", "x = 1\n");
    ConfigDirs.write(dir, "experiment/warm.conf", "trainer.schedule.warmup = 20\n");
    ComposedConfig c = composer.compose(List.of("experiment=warm", "trainer.schedule.decay=0.25"));
    assertEquals(20, c.config().getInt("trainer.schedule.warmup"));
    assertEquals(0.25, c.config().getDouble("trainer.schedule.decay"), 0);
    // Only under a section the config has; and strict: a typo inside it is still an unknown key.
    assertFalse(c.config().hasPath("absent"));
    assertThrows(ConfigError.class, () -> composer.compose(List.of("trainer.schedule.warmpu=1")));
    // A saved run's config gets sections it lacks; its own values win.
    ComposedConfig saved = composer.composeFrom(com.typesafe.config.ConfigFactory.parseString(
        "trainer { steps = 1, schedule.warmup = 3 }"), java.util.Map.of(), null, List.of());
    assertEquals(3, saved.config().getInt("trainer.schedule.warmup"));
    assertEquals(0.5, saved.config().getDouble("trainer.schedule.decay"), 0);
  }
}
