package org.vqlab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Hydra-like composition on Typesafe Config.
 *
 * <ol>
 *   <li>{@code config.conf} holds a {@code defaults} list choosing one option per group;
 *   <li>{@code experiment=name} loads {@code experiment/name.conf}, whose own {@code defaults}
 *       change group choices and whose other keys override the composed groups;
 *   <li>{@code group=option} on the command line wins over both;
 *   <li>each chosen {@code group/option.conf} is placed under the key {@code group};
 *   <li>command-line {@code key=value}, {@code +key=value} and {@code ~key} are applied in order;
 *   <li>{@code ${...}} is resolved once, at the end.
 * </ol>
 *
 * <p>Plugin sections: a file {@code sections/<parent>/<name>.conf} (shipped by a plugin jar, e.g.
 * {@code sections/eval/reconstruction.conf} or {@code sections/tracking/mlflow.conf}) is placed under
 * {@code <parent>.<name>} below every other layer, when the composed config has a {@code <parent>}
 * section; so a metric or tracker plugin brings its own settings without an edit of
 * {@code config.conf}, and the files above can still override them.
 *
 * <p>{@code config_path=dir[:dir...]} arguments put user config directories in front of the
 * search path (see {@link ConfigSearchPath}).
 *
 * Layers are merged with {@code withFallback} (objects merge, lists are replaced). A key that the
 * composed files do not declare is an error naming its origin and the closest declared key.
 */
public final class ConfigComposer {
  public static final String PRIMARY = "config.conf";
  public static final String EXPERIMENT_GROUP = "experiment";
  /** The folder of plugin sections: {@code sections/<parent>/<name>.conf}. */
  public static final String SECTIONS = "sections";
  private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*([eE][-+]?\\d+)?|\\.\\d+)");

  private final ConfigSearchPath searchPath;

  public ConfigComposer(ConfigSearchPath searchPath) {
    this.searchPath = searchPath;
  }

  public ConfigSearchPath searchPath() {
    return searchPath;
  }

  /**
   * The search path of a launch with these arguments: this composer's, with the directories of every
   * {@code config_path=} argument in front (in the order given).
   */
  public ConfigSearchPath searchPathFor(List<String> arguments) {
    ConfigSearchPath path = searchPath;
    List<String> values = new ArrayList<>();
    for (String arg : arguments) {
      if (arg.startsWith(ConfigSearchPath.ARGUMENT + "=")) {
        values.add(arg.substring(ConfigSearchPath.ARGUMENT.length() + 1));
      }
    }
    for (int i = values.size() - 1; i >= 0; i--) {
      path = path.withUserDirectories(values.get(i), "command line: " + ConfigSearchPath.ARGUMENT
          + "=" + values.get(i));
    }
    return path;
  }

  private static boolean isConfigPath(String arg) {
    return arg.startsWith(ConfigSearchPath.ARGUMENT + "=");
  }

  public ComposedConfig compose(List<String> arguments) {
    ConfigSearchPath searchPath = searchPathFor(arguments);
    URL primaryUrl = searchPath.find(PRIMARY).orElseThrow(() -> new ConfigError(
        "no " + PRIMARY + " found in " + searchPath.directories()
            + " or on the classpath under " + ConfigSearchPath.CLASSPATH_PREFIX
            + "; run from the project directory or set VQLAB_HOME"));
    Config primary = parse(primaryUrl);
    LinkedHashMap<String, String> choices = defaultsList(primary, primaryUrl.toString());
    TreeSet<String> groups = new TreeSet<>(choices.keySet());
    groups.addAll(searchPath.groups());
    groups.remove(EXPERIMENT_GROUP);
    groups.remove(SECTIONS);

    List<Override> keyOverrides = new ArrayList<>();
    String experiment = null;
    Map<String, String> cliChoices = new LinkedHashMap<>();
    for (String arg : arguments) {
      if (isConfigPath(arg)) {
        continue;
      }
      Override o = Override.parse(arg);
      if (o.kind() == Override.Kind.SET && o.key().equals(EXPERIMENT_GROUP)) {
        experiment = o.value();
      } else if (o.kind() == Override.Kind.SET && groups.contains(o.key())) {
        cliChoices.put(o.key(), o.value());
      } else {
        keyOverrides.add(o);
      }
    }

    Config experimentConfig = ConfigFactory.empty();
    if (experiment != null) {
      URL url = groupFile(searchPath, EXPERIMENT_GROUP, experiment);
      experimentConfig = parse(url);
      choices.putAll(defaultsList(experimentConfig, url.toString()));
      experimentConfig = experimentConfig.withoutPath("defaults");
    }
    choices.putAll(cliChoices);

    Config composed = primary.withoutPath("defaults");
    for (Map.Entry<String, String> choice : choices.entrySet()) {
      Config option = parse(groupFile(searchPath, choice.getKey(), choice.getValue()));
      composed = option.atKey(choice.getKey()).withFallback(composed);
    }
    composed = withSections(composed, searchPath);
    Declared declared = new Declared(composed);
    declared.checkAll(experimentConfig);
    composed = experimentConfig.withFallback(composed);
    return finish(composed, declared, keyOverrides, Map.copyOf(choices), experiment, arguments);
  }

  /**
   * Composes on top of a saved, resolved config (a run directory's {@code config.conf}): only key
   * overrides are allowed, since the group choices are already made.
   */
  public ComposedConfig composeFrom(Config saved, Map<String, String> choices, String experiment,
      List<String> arguments) {
    List<Override> keyOverrides = new ArrayList<>();
    for (String arg : arguments) {
      if (!isConfigPath(arg)) {
        keyOverrides.add(Override.parse(arg));
      }
    }
    // A plugin added since the run was made (a new metric) brings its section; saved values win.
    Config withPlugins = withSections(saved, searchPathFor(arguments));
    return finish(withPlugins, new Declared(withPlugins), keyOverrides, choices, experiment, arguments);
  }

  /** {@code config} with every plugin section whose parent section it has, as the lowest layer. */
  private static Config withSections(Config config, ConfigSearchPath searchPath) {
    Config sections = ConfigFactory.empty();
    for (String parent : searchPath.folders(SECTIONS)) {
      if (!config.hasPath(ConfigUtil.joinPath(parent))) {
        continue;
      }
      for (Map.Entry<String, URL> e : searchPath.findAll(SECTIONS + "/" + parent).entrySet()) {
        sections = parse(e.getValue()).atPath(ConfigUtil.joinPath(parent, e.getKey())).withFallback(sections);
      }
    }
    return config.withFallback(sections);
  }

  private ComposedConfig finish(Config composed, Declared declared, List<Override> keyOverrides,
      Map<String, String> choices, String experiment, List<String> arguments) {
    for (Override o : keyOverrides) {
      composed = apply(composed, o, declared);
    }
    Config resolved;
    try {
      resolved = composed.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw new ConfigError("cannot resolve interpolation: " + e.getMessage(), e);
    }
    return new ComposedConfig(resolved, choices, experiment, List.copyOf(arguments));
  }

  private Config apply(Config composed, Override o, Declared declared) {
    String origin = "command line: " + o.text();
    switch (o.kind()) {
      case REMOVE -> {
        if (!composed.hasPathOrNull(o.key())) {
          throw new ConfigError("cannot remove '" + o.key() + "' (" + origin + "): no such key"
              + Suggestions.didYouMean(o.key(), declared.keys));
        }
        return composed.withoutPath(o.key());
      }
      case ADD -> {
        if (composed.hasPathOrNull(o.key())) {
          throw new ConfigError("cannot add '" + o.key() + "' (" + origin + "): it exists already ("
              + composed.getValue(o.key()).origin().description() + "); set it with " + o.key()
              + "=" + o.value());
        }
        return withValue(composed, o, origin);
      }
      default -> {
        if (!declared.allows(o.key())) {
          throw new ConfigError("unknown key '" + o.key() + "' (" + origin
              + "): no config or plugin declares it" + Suggestions.didYouMean(o.key(), declared.keys)
              + "; use +" + o.key() + "=... to add a new key");
        }
        return withValue(composed, o, origin);
      }
    }
  }

  private static Config withValue(Config composed, Override o, String origin) {
    ConfigValue value = parseValue(o.value(), origin);
    if (value instanceof ConfigObject obj) {
      // Replace, never merge, an object given on the command line.
      return obj.atPath(o.key()).withFallback(composed.withoutPath(o.key()));
    }
    return composed.withValue(o.key(), value);
  }

  /**
   * Reads a command-line value. Lists, objects, quoted strings and {@code ${...}} are HOCON;
   * numbers, booleans and null are typed; anything else (URLs and paths with {@code :} or
   * {@code //} included) is taken as a plain string.
   */
  public static ConfigValue parseValue(String raw, String origin) {
    String t = raw.trim();
    boolean hocon = t.startsWith("[") || t.startsWith("{") || t.startsWith("\"")
        || (t.contains("${") && !t.contains("//"));
    if (hocon) {
      try {
        Config c = ConfigFactory.parseString("v = " + t,
            ConfigParseOptions.defaults().setOriginDescription(origin));
        return c.root().get("v");
      } catch (ConfigException e) {
        throw new ConfigError("cannot read value '" + raw + "' (" + origin + "): " + e.getMessage(), e);
      }
    }
    Object v;
    if (t.equals("null")) {
      v = null;
    } else if (t.equals("true") || t.equals("false")) {
      v = Boolean.parseBoolean(t);
    } else if (NUMBER.matcher(t).matches()) {
      v = t.contains(".") || t.contains("e") || t.contains("E") ? (Object) Double.parseDouble(t)
          : parseInteger(t);
    } else {
      v = raw;
    }
    return ConfigValueFactory.fromAnyRef(v, origin);
  }

  private static Object parseInteger(String t) {
    long l = Long.parseLong(t);
    return l == (int) l ? (Object) (int) l : (Object) l;
  }

  private static URL groupFile(ConfigSearchPath searchPath, String group, String option) {
    return searchPath.find(group + "/" + option + ".conf").orElseThrow(() -> {
      TreeSet<String> known = searchPath.options(group);
      return new ConfigError("unknown " + group + " option '" + option + "'; known " + group
          + " options: " + known + " (files " + group + "/<option>.conf in "
          + searchPath.directories() + " or on the classpath)");
    });
  }

  private static Config parse(URL url) {
    try {
      return ConfigFactory.parseURL(url, ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
    } catch (ConfigException e) {
      throw new ConfigError("cannot parse " + url + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code defaults = [{group = option}, ...]} in order. */
  private static LinkedHashMap<String, String> defaultsList(Config config, String file) {
    LinkedHashMap<String, String> choices = new LinkedHashMap<>();
    if (!config.hasPath("defaults")) {
      return choices;
    }
    ConfigValue v = config.root().get("defaults");
    if (!(v instanceof ConfigList list)) {
      throw new ConfigError(file + ": 'defaults' must be a list like [{model = vqvae}, ...]");
    }
    for (ConfigValue item : list) {
      if (!(item instanceof ConfigObject obj) || obj.size() != 1) {
        throw new ConfigError(item.origin().description()
            + ": each entry of 'defaults' must be one {group = option}, got " + item.render());
      }
      Map.Entry<String, ConfigValue> e = obj.entrySet().iterator().next();
      choices.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
    }
    return choices;
  }

  /** The keys the composed files declare: leaves and the objects above them. */
  private static final class Declared {
    final TreeSet<String> keys = new TreeSet<>();
    final TreeSet<String> objects = new TreeSet<>();

    Declared(Config config) {
      walk(config.root(), "");
    }

    private void walk(ConfigObject obj, String prefix) {
      for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
        String key = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey())
            : prefix + "." + ConfigUtil.joinPath(e.getKey());
        if (e.getValue() instanceof ConfigObject child) {
          objects.add(key);
          walk(child, key);
        } else {
          keys.add(key);
        }
      }
    }

    boolean allows(String key) {
      return keys.contains(key) || objects.contains(key);
    }

    void checkAll(Config layer) {
      checkObject(layer.root(), "");
    }

    private void checkObject(ConfigObject obj, String prefix) {
      for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
        String key = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey())
            : prefix + "." + ConfigUtil.joinPath(e.getKey());
        if (e.getValue() instanceof ConfigObject child && objects.contains(key)) {
          checkObject(child, key);
        } else if (!allows(key)) {
          throw new ConfigError("unknown key '" + key + "' (from " + e.getValue().origin().description()
              + "): no config or plugin declares it" + Suggestions.didYouMean(key, keys));
        }
      }
    }
  }
}
