package org.vqlab.eval.metrics;

import java.util.Set;
import org.vqlab.core.metric.Metric;
import org.vqlab.testkit.MetricContract;

/** The metric on the kit's tiny known run. */
class ReconstructionContractTest extends MetricContract {
  @Override
  protected Metric create() {
    return new Reconstruction(new ReconstructionConfig(4));
  }

  @Override
  protected Set<String> requiredValues() {
    return Set.of("reconstruction/mse", "reconstruction/psnr", "reconstruction/ssim");
  }
}
