package org.vqlab.eval.metrics;

import java.util.Set;
import org.vqlab.core.metric.Metric;
import org.vqlab.testkit.MetricContract;

/** The metric on the kit's tiny known run. */
class BitsPerDimContractTest extends MetricContract {
  @Override
  protected Metric create() {
    return new BitsPerDim(new BitsPerDimConfig(0));
  }

  @Override
  protected Set<String> requiredValues() {
    return Set.of("bits_per_dim/total", "bits_per_dim/reconstruction", "bits_per_dim/prior");
  }
}
