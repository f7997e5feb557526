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
 * Where config files are looked up, Hydra's search path: the user's config directories first
 * ({@code config_path=} arguments, then {@code VQLAB_CONFIG_PATH}, each in the order given), then the
 * project's {@code config/}, then the classpath under {@code config/}, where every plugin jar (the
 * built-in ones included) ships its own group options and sections. The first location that has a
 * file wins.
 */
public final class ConfigSearchPath {
  public static final String CLASSPATH_PREFIX = "config/";
  /** Environment variable: user config directories separated by {@code :}. */
  public static final String ENV = "VQLAB_CONFIG_PATH";
  /** Command-line argument {@code config_path=dir[:dir...]}: user config directories, before the env's. */
  public static final String ARGUMENT = "config_path";

  private final List<Path> userDirectories;
  private final List<Path> directories;
  private final ClassLoader classLoader;

  public ConfigSearchPath(List<Path> directories, ClassLoader classLoader) {
    this(List.of(), directories, classLoader);
  }

  private ConfigSearchPath(List<Path> userDirectories, List<Path> directories, ClassLoader classLoader) {
    this.userDirectories = List.copyOf(userDirectories);
    this.directories = List.copyOf(directories);
    this.classLoader = classLoader;
  }

  /**
   * The default search path: the directories of {@code VQLAB_CONFIG_PATH}, then
   * {@code $VQLAB_HOME/config} (or the system property {@code vqlab.home}), else {@code ./config}
   * when it exists, then the classpath.
   */
  public static ConfigSearchPath defaults(ClassLoader loader) {
    List<Path> dirs = new ArrayList<>();
    String home = System.getProperty("vqlab.home", System.getenv("VQLAB_HOME"));
    if (home != null && Files.isDirectory(Paths.get(home, "config"))) {
      dirs.add(Paths.get(home, "config"));
    } else if (Files.isDirectory(Paths.get("config"))) {
      dirs.add(Paths.get("config").toAbsolutePath());
    }
    return new ConfigSearchPath(dirs, loader).withUserDirectories(System.getenv(ENV), ENV);
  }

  /**
   * This path with the directories of {@code value} (separated by {@code :}) in front of the user
   * directories it has; each must be an existing directory, else an error naming it and where it
   * was given ({@code origin}). A directory already on the path is not added twice.
   */
  public ConfigSearchPath withUserDirectories(String value, String origin) {
    if (value == null || value.isBlank()) {
      return this;
    }
    List<Path> added = new ArrayList<>();
    for (String entry : value.split(java.io.File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Paths.get(entry).toAbsolutePath().normalize();
      if (!Files.isDirectory(p)) {
        throw new ConfigError("config directory '" + entry + "' (" + origin + ") does not exist"
            + (Files.exists(p) ? " as a directory" : "") + "; give directories separated by ':'");
      }
      if (!added.contains(p) && !userDirectories.contains(p)) {
        added.add(p);
      }
    }
    List<Path> user = new ArrayList<>(added);
    user.addAll(userDirectories);
    List<Path> all = new ArrayList<>(added);
    all.addAll(directories);
    return new ConfigSearchPath(user, all, classLoader);
  }

  /** Every directory searched, user directories first. */
  public List<Path> directories() {
    return directories;
  }

  /** The user's config directories (absolute), in search order: what a child JVM gets as {@value #ENV}. */
  public List<Path> userDirectories() {
    return userDirectories;
  }

  /** The user directories separated by {@code :} (the value of {@value #ENV} for a child JVM). */
  public String toEnvironmentValue() {
    return String.join(java.io.File.pathSeparator, userDirectories.stream().map(Path::toString).toList());
  }

  public ClassLoader classLoader() {
    return classLoader;
  }

  /**
   * Every {@code <folder>/<name>.conf} by its relative path, the first location's file for each
   * name: directories in order, then every classpath entry (so each plugin jar contributes its own).
   */
  public java.util.TreeMap<String, URL> findAll(String folder) {
    java.util.TreeMap<String, URL> found = new java.util.TreeMap<>();
    for (String name : options(folder)) {
      find(folder + "/" + name + ".conf").ifPresent(u -> found.put(name, u));
    }
    return found;
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

  /** The sub-folders of {@code folder} (e.g. {@code sections}), from all locations, sorted. */
  public TreeSet<String> folders(String folder) {
    TreeSet<String> names = new TreeSet<>();
    for (Path dir : directories) {
      addChildren(dir.resolve(folder), true, names);
    }
    scanClasspath(CLASSPATH_PREFIX + folder, true, names);
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
