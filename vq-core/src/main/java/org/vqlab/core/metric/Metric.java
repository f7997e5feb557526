package org.vqlab.core.metric;

/**
 * An evaluation metric (plugin kind {@code metric}): reads what it needs from the
 * {@link EvaluationContext} and returns named numbers, each with its definition, plus the parts it
 * could not compute and why.
 */
public interface Metric {
  String name();

  MetricResult evaluate(EvaluationContext context);
}
