package org.vqlab.eval.metrics;

import org.vqlab.core.config.Section;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.plugin.MetricFactory;

/** {@code codebook_usage} in {@code eval.metrics}; keys in {@code eval.codebook_usage}. */
public final class CodebookUsageFactory implements MetricFactory {
  @Override
  public Class<? extends Record> configType() {
    return CodebookUsageConfig.class;
  }

  @Override
  public Metric create(Section section) {
    section.bind(CodebookUsageConfig.class);
    return new CodebookUsageMetric();
  }
}
