package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.testing.ConfigDirs;
import org.vqlab.core.testing.PluginJars;

/**
 * The documented route in a fresh JVM, as {@code ./vq} starts one: a plugin jar that exists only
 * on VQLAB_PLUGIN_PATH and a user config directory on VQLAB_CONFIG_PATH (and config_path=).
 */
class PluginRouteTest {
  @TempDir
  Path dir;

  private record Result(int code, String out) {}

  private Result vq(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx1g", "-Dvqlab.home=" + System.getProperty("vqlab.home"), "-cp",
        System.getProperty("java.class.path"), Vq.class.getName()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove(PluginPath.ENV);
    pb.environment().remove(ConfigSearchPath.ENV);
    pb.environment().putAll(env);
    int code = pb.start().waitFor();
    return new Result(code, Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void originsNameThePluginJarAndTheUserConfigFile() throws Exception {
    Path jar = PluginJars.identityQuantizer(dir.resolve("jars/route-identity.jar"), "test.route", "route_identity")
        .toRealPath();
    Path mine = dir.resolve("my-configs").toAbsolutePath();
    ConfigDirs.write(mine, "experiment/mine.conf",
        "defaults = [{quantizer = route_identity}]\nseed = 5\nquantizer.code_dim = 8\n");
    Map<String, String> env = Map.of(PluginPath.ENV, jar.getParent().toString(), ConfigSearchPath.ENV, mine.toString());

    Result r = vq(env, "config", "--origins", "experiment=mine");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("quantizer.type = \"route_identity\"    # " + jar
        + "!/config/quantizer/route_identity.conf: 2"), r.out());
    assertTrue(r.out().contains("seed = 5    # " + mine.resolve("experiment/mine.conf") + ": 2"), r.out());
    assertTrue(r.out().contains("quantizer.code_dim = 8    # " + mine.resolve("experiment/mine.conf") + ": 3"), r.out());
    // A built-in plugin's option comes from its jar or module too, the project's config/ only for trainer.
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("model.channels = ") && l.contains("/config/model/vqvae.conf: ")),
        r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("trainer.batch_size = ")
        && l.contains(Path.of(System.getProperty("vqlab.home"), "config", "trainer", "default.conf").toString())), r.out());

    // The same through config_path= instead of the environment variable.
    Result arg = vq(Map.of(PluginPath.ENV, jar.toString()), "config", "--origins", "config_path=" + mine,
        "experiment=mine");
    assertEquals(0, arg.code(), arg.out());
    assertTrue(arg.out().contains("seed = 5    # " + mine.resolve("experiment/mine.conf") + ": 2"), arg.out());

    Result plugins = vq(env, "plugins");
    assertEquals(0, plugins.code(), plugins.out());
    assertTrue(plugins.out().lines().anyMatch(l -> l.matches("quantizer\\s+route_identity\\s+" + jar + "\\s+.*")),
        plugins.out());
    assertTrue(plugins.out().lines().anyMatch(l -> l.contains(jar.getParent().toString())
        && l.contains("(VQLAB_PLUGIN_PATH, 1 jar)")), plugins.out());
    assertTrue(plugins.out().lines().anyMatch(l -> l.contains(".vqlab/plugins")), plugins.out());
  }

  @Test
  void aMissingPluginDirectoryIsAnErrorNamingIt() throws Exception {
    Path missing = dir.resolve("no-such-plugins");
    Result r = vq(Map.of(PluginPath.ENV, missing.toString()), "plugins");
    assertEquals(Vq.CONFIG_ERROR, r.code(), r.out());
    assertTrue(r.out().contains("error: VQLAB_PLUGIN_PATH names '" + missing + "'"), r.out());
    assertTrue(!r.out().contains("\tat "), "no stack trace on the console: " + r.out());
  }
}
