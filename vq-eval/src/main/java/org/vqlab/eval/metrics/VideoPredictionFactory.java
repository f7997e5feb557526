package org.vqlab.eval.metrics;

import org.vqlab.core.config.Section;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.plugin.MetricFactory;

/** {@code video_prediction} in {@code eval.metrics}; keys in {@code eval.video_prediction}. */
public final class VideoPredictionFactory implements MetricFactory {
  @Override
  public Class<? extends Record> configType() {
    return VideoPredictionConfig.class;
  }

  @Override
  public Metric create(Section section) {
    return new VideoPrediction(section.bind(VideoPredictionConfig.class));
  }
}
