package org.vqlab.eval.metrics;

import org.vqlab.core.config.Section;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.plugin.MetricFactory;

/** {@code bits_per_dim} in {@code eval.metrics}; keys in {@code eval.bits_per_dim}. */
public final class BitsPerDimFactory implements MetricFactory {
  @Override
  public Class<? extends Record> configType() {
    return BitsPerDimConfig.class;
  }

  @Override
  public Metric create(Section section) {
    return new BitsPerDim(section.bind(BitsPerDimConfig.class));
  }
}
