package org.vqlab.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.testing.ConfigDirs;
import org.vqlab.core.testing.PluginJars;

/** The plugin path: its locations in order, jars that exist only there, and its errors. */
class PluginPathTest {
  @TempDir
  Path dir;

  private PluginPath resolve(String explicit) {
    return PluginPath.resolve(explicit, dir.resolve("home"), dir.resolve("user"), getClass().getClassLoader());
  }

  @Test
  void locationsInDocumentedOrderAndJarsLoadFromEach() throws Exception {
    Path a = PluginJars.identityQuantizer(dir.resolve("explicit/a.jar"), "test.a", "qa");
    Path b = PluginJars.identityQuantizer(dir.resolve("home/plugins/b.jar"), "test.b", "qb");
    Files.writeString(dir.resolve("home/plugins/README.txt"), "not a jar, ignored in a directory");
    PluginPath path = resolve(a.toString());
    List<PluginPath.Location> l = path.locations();
    assertEquals(3, l.size());
    assertEquals(List.of(PluginPath.ENV, "VQLab home", "user"), l.stream().map(PluginPath.Location::origin).toList());
    assertEquals(List.of(a.toRealPath()), l.get(0).jars());
    assertEquals(List.of(b.toRealPath()), l.get(1).jars());
    assertFalse(l.get(2).exists());
    assertEquals(dir.resolve("user/.vqlab/plugins").toAbsolutePath().normalize(), l.get(2).path());
    assertEquals(a.toRealPath() + ":" + b.toRealPath(), path.toEnvironmentValue());

    PluginRegistry registry = PluginRegistry.load(path.classLoader());
    PluginInfo qa = registry.plugins().stream().filter(p -> p.name().equals("qa")).findFirst().orElseThrow();
    assertEquals(a.toRealPath().toString(), qa.source());
    assertEquals("test.a.Plugin", qa.module().getName());
    assertTrue(registry.all(PluginKind.QUANTIZER).containsKey("qb"));

    // The same loader serves the config search path: the jar's group option is found.
    ConfigDirs.write(dir, "cfg/config.conf", "defaults = [{quantizer = qa}]\n");
    ComposedConfig c = new ConfigComposer(new ConfigSearchPath(List.of(dir.resolve("cfg")), path.classLoader()))
        .compose(List.of());
    assertEquals("qa", c.config().getString("quantizer.type"));
    assertTrue(c.renderWithOrigins().contains("quantizer.type = \"qa\"    # " + a.toRealPath() + "!/config/quantizer/qa.conf: 2"),
        c.renderWithOrigins());
  }

  @Test
  void theSameJarNamedTwiceLoadsOnce() throws Exception {
    Path a = PluginJars.identityQuantizer(dir.resolve("home/plugins/a.jar"), "test.a", "qa");
    PluginPath path = resolve(a + ":" + dir.resolve("home/plugins"));
    assertEquals(List.of(a.toRealPath()), path.jars());
    assertEquals(1, PluginRegistry.load(path.classLoader()).plugins().stream().filter(p -> p.name().equals("qa")).count());
  }

  @Test
  void twoJarsRegisteringOneNameIsAnErrorNamingBoth() {
    Path one = PluginJars.identityQuantizer(dir.resolve("one/first.jar"), "test.one", "twin");
    Path two = PluginJars.identityQuantizer(dir.resolve("two/second.jar"), "test.two", "twin");
    PluginPath path = resolve(one + ":" + two);
    ConfigError e = assertThrows(ConfigError.class, () -> PluginRegistry.load(path.classLoader()));
    assertTrue(e.getMessage().startsWith("quantizer 'twin' is registered twice"), e.getMessage());
    assertTrue(e.getMessage().contains("first.jar") && e.getMessage().contains("second.jar"), e.getMessage());
  }

  @Test
  void missingEntryAndNonJarFileAreErrorsNamingThem() throws Exception {
    ConfigError missing = assertThrows(ConfigError.class, () -> resolve(dir.resolve("nowhere").toString()));
    assertTrue(missing.getMessage().contains("VQLAB_PLUGIN_PATH names '" + dir.resolve("nowhere") + "'"), missing.getMessage());
    Path text = Files.writeString(dir.resolve("notes.jar"), "plain text");
    ConfigError notJar = assertThrows(ConfigError.class, () -> resolve(text.toString()));
    assertTrue(notJar.getMessage().contains("'" + text + "'") && notJar.getMessage().contains("is not a jar"),
        notJar.getMessage());
  }
}
