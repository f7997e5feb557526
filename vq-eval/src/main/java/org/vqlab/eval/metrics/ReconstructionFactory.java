package org.vqlab.eval.metrics;

import org.vqlab.core.config.Section;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.plugin.MetricFactory;

/** {@code reconstruction} in {@code eval.metrics}; keys in {@code eval.reconstruction}. */
public final class ReconstructionFactory implements MetricFactory {
  @Override
  public Class<? extends Record> configType() {
    return ReconstructionConfig.class;
  }

  @Override
  public Metric create(Section section) {
    return new Reconstruction(section.bind(ReconstructionConfig.class));
  }
}
