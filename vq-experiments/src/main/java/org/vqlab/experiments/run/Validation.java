package org.vqlab.experiments.run;

import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.plugin.PluginFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.quantizer.Quantizers;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.eval.EvalConfig;
import org.vqlab.experiments.stages.SampleConfig;

/**
 * Binds every section a launch will use, once, before any heavy work: the top-level keys, the
 * trainer, the eval section with every metric's subsection, and each selected plugin's section by
 * its own config record. Throws ConfigError.
 */
public final class Validation {
  private Validation() {}

  public static LaunchConfig validate(ComposedConfig composed, PluginRegistry registry) {
    Section root = composed.root();
    LaunchConfig launch = Section.root(composed.config().withOnlyPath("name").withFallback(
            composed.config().withOnlyPath("seed")).withFallback(composed.config().withOnlyPath("output_dir"))
        .withFallback(composed.config().withOnlyPath("engine")))
        .bind(LaunchConfig.class);
    if (composed.config().hasPath("trainer")) {
      root.child("trainer").bind(TrainerConfig.class);
    }
    if (composed.config().hasPath("eval")) {
      EvalConfig.bind(root.child("eval"), registry);
    }
    for (PluginKind kind : PluginKind.values()) {
      if (kind == PluginKind.TRACKER) {
        Section tracking = root.child(kind.group());
        for (PluginFactory f : registry.all(kind).values()) {
          f.validate(tracking);
        }
      } else if (kind == PluginKind.PRIOR && composed.config().hasPath(kind.group())) {
        // prior.trainer holds the prior stage's optimisation settings, not the plugin's keys.
        Section section = RunArtifacts.priorSection(root);
        registry.factory(kind, section).validate(section);
        RunArtifacts.priorTrainer(root);
      } else if (kind != PluginKind.METRIC && composed.config().hasPath(kind.group())) {
        Section section = root.child(kind.group());
        PluginFactory f = registry.factory(kind, section);
        f.validate(section);
        if (f instanceof ModelFactory model && composed.config().hasPath(PluginKind.QUANTIZER.group())) {
          model.validateQuantizers(section, root.child(PluginKind.QUANTIZER.group()), new Quantizers(registry));
        }
      }
    }
    if (composed.config().hasPath("sample")) {
      root.child("sample").bind(SampleConfig.class);
    }
    return launch;
  }
}
