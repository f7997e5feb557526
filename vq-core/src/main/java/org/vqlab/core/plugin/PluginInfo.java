package org.vqlab.core.plugin;

import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;

/** One registration: which plugin module put which factory under which name. */
public record PluginInfo(PluginKind kind, String name, Class<? extends PluginFactory> factory,
    Class<?> module) {

  /**
   * Where the plugin came from: for a jar of the plugin path its absolute path; for a jar of VQLab's
   * own classpath its file name; for classes on disk the Maven module directory (e.g.
   * {@code vq-core}).
   */
  public String source() {
    if (module.getClassLoader() != PluginInfo.class.getClassLoader()) {
      return location(module);
    }
    CodeSource cs = module.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return "(unknown)";
    }
    URL url = cs.getLocation();
    try {
      Path p = Paths.get(url.toURI());
      String file = p.getFileName().toString();
      if (file.endsWith(".jar")) {
        return file;
      }
      // .../vq-core/target/classes or .../target/test-classes
      Path target = p.getParent();
      if (target != null && target.getParent() != null
          && target.getFileName().toString().equals("target")) {
        return target.getParent().getFileName() + (file.equals("test-classes") ? " (tests)" : "");
      }
      return p.toString();
    } catch (Exception e) {
      return url.toString();
    }
  }

  /** The absolute path of the jar or class directory a class was loaded from. */
  public static String location(Class<?> type) {
    CodeSource cs = type.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return "(unknown)";
    }
    try {
      return Paths.get(cs.getLocation().toURI()).toString();
    } catch (Exception e) {
      return cs.getLocation().toString();
    }
  }
}
