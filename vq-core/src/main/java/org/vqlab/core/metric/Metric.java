package org.vqlab.core.metric;

import java.util.Map;

/**
 * An evaluation metric: reads what it needs from the {@link EvaluationContext} and returns named
 * numbers, each with a definition for the report.
 */
public interface Metric {
  String name();

  Map<String, MetricValue> evaluate(EvaluationContext context);
}
