package org.vqlab.eval.metrics;

import java.util.List;
import java.util.Map;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.model.Autoencoder;

/**
 * A metric over the test split of a trained model: when the run lacks either, the result names
 * what is missing (with the context's reason) instead of a number.
 */
abstract class TestSplitMetric implements Metric {
  private final String name;

  TestSplitMetric(String name) {
    this.name = name;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final MetricResult evaluate(EvaluationContext context) {
    if (context.model().isEmpty()) {
      return missing(context.missing().getOrDefault("model", "the run has no trained model"));
    }
    if (context.testSet().isEmpty()) {
      return missing(context.missing().getOrDefault("test_set", "the run has no test split"));
    }
    return evaluate(context, context.model().get(), context.testSet().get());
  }

  /** The metric, given that the run has a trained model and a test split. */
  protected abstract MetricResult evaluate(EvaluationContext context, Autoencoder model, VqDataset data);

  /** A result with no values that says why, under the metric's name. */
  protected final MetricResult missing(String reason) {
    return new MetricResult(Map.of(), List.of(), Map.of(name, reason));
  }
}
