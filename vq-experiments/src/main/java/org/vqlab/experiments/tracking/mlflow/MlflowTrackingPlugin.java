package org.vqlab.experiments.tracking.mlflow;

import org.vqlab.core.plugin.VqPluginModule;

/** Registers the {@code mlflow} tracker, exactly as a third-party tracker plugin would. */
public final class MlflowTrackingPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    tracker("mlflow", MlflowTrackerFactory.class);
  }
}
