package org.vqlab.eval.metrics;

import java.util.Set;
import org.vqlab.core.metric.Metric;
import org.vqlab.testkit.MetricContract;

/** The metric on the kit's tiny known run. */
class CodebookUsageContractTest extends MetricContract {
  @Override
  protected Metric create() {
    return new CodebookUsageMetric();
  }

  @Override
  protected Set<String> requiredValues() {
    return Set.of("codebook_usage/bottom/perplexity");
  }
}
