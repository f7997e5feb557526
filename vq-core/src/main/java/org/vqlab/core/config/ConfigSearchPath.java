package org.vqlab.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where config files are looked up: directories first (the project's {@code config/}), then the
 * classpath under {@code config/}, where plugin jars ship their own group options. The first
 * location that has a file wins.
 */
public final class ConfigSearchPath {
  public static final String CLASSPATH_PREFIX = "config/";

  private final List<Path> directories;
  private final ClassLoader classLoader;

  public ConfigSearchPath(List<Path> directories, ClassLoader classLoader) {
    this.directories = List.copyOf(directories);
    this.classLoader = classLoader;
  }

  /**
   * The default search path: {@code $VQLAB_HOME/config} (or the system property {@code vqlab.home}),
   * else {@code ./config} when it exists, then the classpath.
   */
  public static ConfigSearchPath defaults(ClassLoader loader) {
    List<Path> dirs = new ArrayList<>();
    String home = System.getProperty("vqlab.home", System.getenv("VQLAB_HOME"));
    if (home != null && Files.isDirectory(Paths.get(home, "config"))) {
      dirs.add(Paths.get(home, "config"));
    } else if (Files.isDirectory(Paths.get("config"))) {
      dirs.add(Paths.get("config").toAbsolutePath());
    }
    return new ConfigSearchPath(dirs, loader);
  }

  public List<Path> directories() {
    return directories;
  }

  /** The URL of {@code relative} (e.g. {@code quantizer/ema.conf}), directories first. */
  public Optional<URL> find(String relative) {
    for (Path dir : directories) {
      Path p = dir.resolve(relative);
      if (Files.isRegularFile(p)) {
        try {
          return Optional.of(p.toUri().toURL());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return Optional.ofNullable(classLoader.getResource(CLASSPATH_PREFIX + relative));
  }

  /** Every option of a group, from all locations, sorted. */
  public TreeSet<String> options(String group) {
    TreeSet<String> names = new TreeSet<>();
    for (Path dir : directories) {
      addChildren(dir.resolve(group), false, names);
    }
    scanClasspath(CLASSPATH_PREFIX + group, false, names);
    return names;
  }

  /** Every group directory, from all locations. */
  public TreeSet<String> groups() {
    TreeSet<String> names = new TreeSet<>();
    for (Path dir : directories) {
      addChildren(dir, true, names);
    }
    scanClasspath(CLASSPATH_PREFIX.substring(0, CLASSPATH_PREFIX.length() - 1), true, names);
    return names;
  }

  /** Adds the {@code .conf} files (without extension) or the sub-directories below a classpath folder. */
  private void scanClasspath(String folder, boolean directoriesWanted, TreeSet<String> names) {
    try {
      Enumeration<URL> urls = classLoader.getResources(folder);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if ("file".equals(url.getProtocol())) {
          addChildren(Paths.get(url.toURI()), directoriesWanted, names);
        } else if ("jar".equals(url.getProtocol())) {
          JarURLConnection conn = (JarURLConnection) url.openConnection();
          conn.setUseCaches(false);
          try (JarFile jar = conn.getJarFile()) {
            String prefix = folder + "/";
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
              String rest = e.nextElement().getName();
              if (!rest.startsWith(prefix)) {
                continue;
              }
              rest = rest.substring(prefix.length());
              int slash = rest.indexOf('/');
              if (directoriesWanted && slash > 0) {
                names.add(rest.substring(0, slash));
              } else if (!directoriesWanted && slash < 0 && rest.endsWith(".conf")) {
                names.add(rest.substring(0, rest.length() - 5));
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list config folder '" + folder + "' on the classpath", e);
    }
  }

  private static void addChildren(Path dir, boolean directoriesWanted, TreeSet<String> names) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> Files.isDirectory(p) == directoriesWanted)
          .map(p -> p.getFileName().toString())
          .filter(n -> directoriesWanted || n.endsWith(".conf"))
          .forEach(n -> names.add(directoriesWanted ? n : n.substring(0, n.length() - 5)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
