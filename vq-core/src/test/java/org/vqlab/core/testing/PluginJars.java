package org.vqlab.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar in a test, the way a third party's build would: compiles Java sources
 * against this JVM's classpath and packs the classes with the given resources (e.g.
 * {@code META-INF/services/org.vqlab.core.plugin.VqPlugin}, {@code config/quantizer/x.conf}).
 * The classes exist only in the jar, so they load through the plugin path's class loader.
 */
public final class PluginJars {
  private PluginJars() {}

  /** {@code sources}: fully qualified class name to source text; {@code resources}: path to text. */
  public static Path build(Path jar, Map<String, String> sources, Map<String, String> resources) {
    try {
      Path work = Files.createTempDirectory("plugin-src");
      Path src = work.resolve("src");
      Path classes = work.resolve("classes");
      Files.createDirectories(classes);
      List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
          System.getProperty("java.class.path"), "--release", "17", "-proc:none"));
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue());
        args.add(f.toString());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
        throw new IllegalStateException("the test plugin did not compile");
      }
      for (Map.Entry<String, String> e : resources.entrySet()) {
        Path f = classes.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue());
      }
      Files.createDirectories(jar.toAbsolutePath().getParent());
      try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
           Stream<Path> files = Files.walk(classes)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          j.write(Files.readAllBytes(f));
          j.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A jar with one plugin module {@code <pkg>.Plugin} that registers the test-only identity
   * quantizer's factory as quantizer {@code name}, and ships {@code config/quantizer/<name>.conf}
   * with {@code type = <name>} and {@code code_dim}.
   */
  public static Path identityQuantizer(Path jar, String pkg, String name) {
    String source = "package " + pkg + ";\n"
        + "public final class Plugin extends org.vqlab.core.plugin.VqPluginModule {\n"
        + "  @Override protected void configure() {\n"
        + "    quantizer(\"" + name + "\", org.vqlab.core.plugin.IdentityQuantizerPlugin.Factory.class);\n"
        + "  }\n}\n";
    return build(jar, Map.of(pkg + ".Plugin", source), Map.of(
        "META-INF/services/org.vqlab.core.plugin.VqPlugin", pkg + ".Plugin\n",
        "config/quantizer/" + name + ".conf", "# from " + jar.getFileName() + "\ntype = " + name
            + "\ncode_dim = 64\n"));
  }
}
