package org.vqlab.eval.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.MetricResult;

/** What every metric needs first: a trained model and the test split; else the reason. */
final class Needs {
  private Needs() {}

  /** Empty when the context has a model and a test set, else a result naming what is missing. */
  static Optional<MetricResult> modelAndTestSet(EvaluationContext context, String metric) {
    String reason = null;
    if (context.model().isEmpty()) {
      reason = context.missing().getOrDefault("model", "the run has no trained model");
    } else if (context.testSet().isEmpty()) {
      reason = context.missing().getOrDefault("test_set", "the run has no test split");
    }
    return reason == null ? Optional.empty()
        : Optional.of(new MetricResult(Map.of(), List.of(), Map.of(metric, reason)));
  }
}
