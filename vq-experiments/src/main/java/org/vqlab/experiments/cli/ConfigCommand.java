package org.vqlab.experiments.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.experiments.run.Validation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vq config [--origins] [overrides]}: the composed, resolved, validated config. */
@Command(name = "config", description = "Print the composed, resolved config exactly as a run would use it.")
public final class ConfigCommand implements Callable<Integer> {
  @Option(names = "--origins", description = "Show the file and line (or argument) each value came from.")
  boolean origins;

  @Parameters(arity = "0..*", paramLabel = "OVERRIDE", description = "group=option, a.b=value, +a.b=value, ~a.b")
  List<String> overrides = new ArrayList<>();

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader())).compose(overrides);
    Validation.validate(composed, PluginRegistry.load());
    out.print(origins ? composed.renderWithOrigins() : composed.render());
    return 0;
  }
}
