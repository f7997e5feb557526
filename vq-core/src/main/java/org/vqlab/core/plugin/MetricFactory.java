package org.vqlab.core.plugin;

import org.vqlab.core.config.Section;
import org.vqlab.core.metric.Metric;

/** Builds an evaluation metric (kind {@code metric}); metrics are chosen by {@code eval.metrics}. */
public interface MetricFactory extends PluginFactory {
  Metric create(Section section);
}
