package org.vqlab.experiments;

import org.vqlab.core.plugin.VqPluginModule;
import org.vqlab.experiments.multirun.BasicLauncherFactory;
import org.vqlab.experiments.multirun.SlurmLauncherFactory;
import org.vqlab.experiments.tracking.LocalTrackerFactory;

/** Built-in plugins of vq-experiments: the local tracker, the basic (local JVMs) and slurm (job array) launchers. */
public final class ExperimentsPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    tracker("local", LocalTrackerFactory.class);
    launcher("basic", BasicLauncherFactory.class);
    launcher("slurm", SlurmLauncherFactory.class);
  }
}
