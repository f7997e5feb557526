package org.vqlab.core.plugin;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.vqlab.core.config.ConfigError;

/**
 * Where plugin jars are found, in this order:
 *
 * <ol>
 *   <li>{@code VQLAB_PLUGIN_PATH}: jars and directories of jars, separated by {@code :}, in the order
 *       given. Every entry must exist: a missing directory or a file that is not a jar is an error
 *       naming it.
 *   <li>{@code plugins/} under the VQLab home (the checkout; {@code vqlab.home} or {@code VQLAB_HOME});
 *   <li>{@code ~/.vqlab/plugins/}.
 * </ol>
 *
 * The two directories may be absent. Every {@code *.jar} directly inside a directory is loaded (other
 * files are ignored). The jars get one {@link URLClassLoader} whose parent is VQLab's own class
 * loader: {@link java.util.ServiceLoader} finds their {@link VqPlugin}s through it, and the config
 * search path finds their {@code config/<group>/<option>.conf} resources through it. The same jar
 * named twice (by path or by link) is loaded once; two different jars that register the same kind and
 * name are an error of {@link PluginRegistry#load} naming both jars.
 *
 * <p>A launcher that starts other JVMs hands {@link #toEnvironmentValue()} to them as
 * {@code VQLAB_PLUGIN_PATH} (see {@link org.vqlab.core.launch.Job}), so every job sees the same jars.
 */
public final class PluginPath {
  public static final String ENV = "VQLAB_PLUGIN_PATH";

  /** One searched location: what it is, whether it exists, and the jars it contributed. */
  public record Location(String origin, Path path, boolean exists, List<Path> jars) {}

  private final List<Location> locations;
  private final List<Path> jars;
  private final ClassLoader classLoader;

  private PluginPath(List<Location> locations, ClassLoader parent) {
    this.locations = List.copyOf(locations);
    Set<Path> unique = new LinkedHashSet<>();
    for (Location l : locations) {
      unique.addAll(l.jars());
    }
    this.jars = List.copyOf(unique);
    URL[] urls = jars.stream().map(PluginPath::url).toArray(URL[]::new);
    this.classLoader = urls.length == 0 ? parent : new URLClassLoader("vqlab-plugins", urls, parent);
  }

  private static volatile PluginPath current;

  /**
   * The plugin path of this JVM, resolved once from the environment (see the class comment) on top
   * of the class loader that loaded VQLab.
   */
  public static PluginPath current() {
    PluginPath p = current;
    if (p == null) {
      synchronized (PluginPath.class) {
        if (current == null) {
          current = resolve(System.getenv(ENV), home(), Paths.get(System.getProperty("user.home")),
              PluginPath.class.getClassLoader());
        }
        p = current;
      }
    }
    return p;
  }

  /**
   * Resolves the locations: {@code explicit} ({@code VQLAB_PLUGIN_PATH}'s value, may be null), then
   * {@code <home>/plugins} (when home is not null), then {@code <userHome>/.vqlab/plugins}.
   */
  public static PluginPath resolve(String explicit, Path home, Path userHome, ClassLoader parent) {
    List<Location> locations = new ArrayList<>();
    if (explicit != null && !explicit.isBlank()) {
      for (String entry : explicit.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        Path p = Paths.get(entry).toAbsolutePath().normalize();
        String origin = ENV;
        if (Files.isDirectory(p)) {
          locations.add(new Location(origin, p, true, jarsIn(p)));
        } else if (Files.isRegularFile(p)) {
          locations.add(new Location(origin, p, true, List.of(checkedJar(p, origin))));
        } else {
          throw new ConfigError(ENV + " names '" + entry + "', which does not exist; give jars or "
              + "directories of jars separated by ':'");
        }
      }
    }
    if (home != null) {
      locations.add(directory("VQLab home", home.resolve("plugins")));
    }
    if (userHome != null) {
      locations.add(directory("user", userHome.resolve(".vqlab").resolve("plugins")));
    }
    return new PluginPath(locations, parent);
  }

  private static Location directory(String origin, Path dir) {
    Path p = dir.toAbsolutePath().normalize();
    return Files.isDirectory(p) ? new Location(origin, p, true, jarsIn(p))
        : new Location(origin, p, false, List.of());
  }

  private static List<Path> jarsIn(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> found = s.filter(f -> f.getFileName().toString().endsWith(".jar"))
          .filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      List<Path> out = new ArrayList<>();
      for (Path f : found) {
        out.add(checkedJar(f, dir.toString()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list plugin directory " + dir, e);
    }
  }

  /** The jar's real path; a file that is not a jar (zip) is an error naming it. */
  private static Path checkedJar(Path file, String origin) {
    try (JarFile ignored = new JarFile(file.toFile())) {
      return file.toRealPath();
    } catch (IOException e) {
      throw new ConfigError("plugin path entry '" + file + "' (from " + origin + ") is not a jar file"
          + " (" + e.getMessage() + "); the plugin path holds jars and directories of jars");
    }
  }

  private static URL url(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path home() {
    String home = System.getProperty("vqlab.home", System.getenv("VQLAB_HOME"));
    return home == null ? null : Paths.get(home);
  }

  /** Every searched location in order, present or not. */
  public List<Location> locations() {
    return locations;
  }

  /** The jars loaded, each once, in path order. */
  public List<Path> jars() {
    return jars;
  }

  /** The loader of VQLab plus the plugin jars: for ServiceLoader and for config resources. */
  public ClassLoader classLoader() {
    return classLoader;
  }

  /** The jars, absolute and separated by {@code :}: the value a child JVM gets as {@value #ENV}. */
  public String toEnvironmentValue() {
    return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** Adds {@value #ENV} to a job's environment (nothing when no jar is on the path). */
  public void addTo(Map<String, String> environment) {
    if (!jars.isEmpty()) {
      environment.put(ENV, toEnvironmentValue());
    }
  }
}
