package org.vqlab.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import org.vqlab.core.config.Section;

/**
 * A plugin's config section as a run gets it: its shipped option file
 * {@code config/<group>/<type>.conf} (a classpath resource of the plugin's jar, or the project's
 * {@code config/} directory under {@code vqlab.home}) with overrides on top.
 */
public final class PluginConfigs {
  private PluginConfigs() {}

  /** The section {@code group} of option {@code type} with {@code overrides} (HOCON) on top. */
  public static Section section(String group, String type, String overrides) {
    return new Section(group, ConfigFactory.parseString(overrides).withFallback(file(group, type))
        .resolve());
  }

  /** A prior's section without the {@code trainer} block its option file holds for the stage. */
  public static Section prior(String type, String overrides) {
    Section s = section("prior", type, overrides);
    return new Section(s.path(), s.config().withoutPath("trainer"));
  }

  /** The shipped option file of {@code group}/{@code type}. */
  public static Config file(String group, String type) {
    String name = "config/" + group + "/" + type + ".conf";
    if (Thread.currentThread().getContextClassLoader().getResource(name) != null) {
      return ConfigFactory.parseResourcesAnySyntax(name);
    }
    for (String home : new String[] {System.getProperty("vqlab.home", ".."), ".."}) {
      File f = new File(home, name);
      if (f.isFile()) {
        return ConfigFactory.parseFile(f);
      }
    }
    throw new IllegalArgumentException("no " + name + " on the classpath or under vqlab.home");
  }
}
