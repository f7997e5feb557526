package org.vqlab.experiments.cli;

import java.util.concurrent.Callable;
import org.vqlab.core.plugin.PluginInfo;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.plugin.PluginRegistry;
import picocli.CommandLine.Command;

/**
 * {@code vq plugins}: the plugin path that was searched (present or not), then every registered
 * plugin by kind and name, with the jar (absolute for plugin-path jars) or module it came from.
 */
@Command(name = "plugins", description = "List registered plugins by kind and name, with their source.")
public final class PluginsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    PluginPath path = PluginPath.current();
    out.println("plugin path (in search order):");
    for (PluginPath.Location l : path.locations()) {
      out.printf("  %-40s %s%n", l.path(), "(" + l.origin() + (l.exists() ? ", " + l.jars().size()
          + (l.jars().size() == 1 ? " jar)" : " jars)") : ", absent)"));
    }
    out.println();
    PluginRegistry registry = PluginRegistry.load();
    out.printf("%-10s %-22s %-34s %s%n", "KIND", "NAME", "SOURCE", "FACTORY");
    for (PluginKind kind : PluginKind.values()) {
      boolean any = false;
      for (PluginInfo info : registry.plugins()) {
        if (info.kind() == kind) {
          any = true;
          out.printf("%-10s %-22s %-34s %s%n", kind.label(), info.name(), info.source(),
              info.factory().getName());
        }
      }
      if (!any) {
        out.printf("%-10s %-22s%n", kind.label(), "(none registered)");
      }
    }
    return 0;
  }
}
