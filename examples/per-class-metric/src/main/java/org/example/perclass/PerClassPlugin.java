package org.example.perclass;

import org.vqlab.core.plugin.VqPluginModule;

/** Registers the metric {@code per_class_error}; listed in META-INF/services/org.vqlab.core.plugin.VqPlugin. */
public final class PerClassPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    metric(PerClassError.NAME, PerClassErrorFactory.class);
  }
}
