package org.example.perclass;

import org.vqlab.core.config.Section;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.plugin.MetricFactory;

/** {@code eval.metrics = [..., per_class_error]}, configured by {@code eval.per_class_error}. */
public final class PerClassErrorFactory implements MetricFactory {
  @Override
  public Class<? extends Record> configType() {
    return PerClassErrorConfig.class;
  }

  @Override
  public Metric create(Section section) {
    return new PerClassError(section.bind(PerClassErrorConfig.class));
  }
}
