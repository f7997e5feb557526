package org.example.perclass;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.testkit.MetricContract;

/**
 * The test kit's metric contract (name, values under per_class_error/ finite with units and
 * definitions, missing parts named, reproducible, an empty run named not thrown) on the kit's run
 * with a known model, plus the per-class values against their closed form on that run.
 */
class PerClassErrorContractTest extends MetricContract {

  /** min_items = 1: the kit's run has 12 test images over up to 10 classes. */
  @Override
  protected Metric create() {
    return new PerClassError(new PerClassErrorConfig(List.of(), 1));
  }

  @Override
  protected Set<String> requiredValues() {
    return Set.of("per_class_error/mean", "per_class_error/worst", "per_class_error/best");
  }

  @Test
  void perClassErrorsAreTheClosedFormOfTheKnownModel() {
    EvaluationContext run = context(manager, runDirectory);
    MetricResult r = create().evaluate(run);
    // The kit's model reconstructs x' = x / 2 in the centred range, so in [0, 1] pixel units the
    // error of a pixel of byte value b is (b / 255 - 1/2) / 2.
    VqDataset data = run.testSet().orElseThrow();
    double[] sum = new double[data.numClasses()];
    int[] count = new int[data.numClasses()];
    double all = 0;
    for (long i = 0; i < data.size(); i++) {
      byte[] raw = data.rawItem(i);
      double mse = 0;
      for (byte b : raw) {
        double e = ((b & 0xff) / 255.0 - 0.5) / 2;
        mse += e * e / raw.length;
      }
      sum[data.label(i)] += mse;
      count[data.label(i)]++;
      all += mse;
    }
    int classes = 0;
    for (int k = 0; k < sum.length; k++) {
      if (count[k] > 0) {
        classes++;
        assertEquals(sum[k] / count[k], r.values().get("per_class_error/mse/class_" + k).value(), 1e-6,
            "class " + k);
      }
    }
    assertEquals(classes, r.values().keySet().stream().filter(key -> key.contains("/mse/")).count());
    assertEquals(all / data.size(), r.values().get("per_class_error/mean").value(), 1e-6);
  }
}
