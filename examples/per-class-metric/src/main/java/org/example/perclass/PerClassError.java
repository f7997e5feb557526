package org.example.perclass;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.model.Autoencoder;

/**
 * Reconstruction error per class of the test split: the mean squared error per pixel value of
 * each class's images (images and reconstructions in [0, 1], reconstructions clipped to it), the
 * worst and the best class, their ratio, and the item-weighted mean over classes (which is the
 * split's MSE). An overall MSE can hide a class the codebook serves badly; this shows it.
 *
 * <p>Sums and counts per class are accumulated on the evaluation device, one one-hot product per
 * batch, and read once at the end.
 */
public final class PerClassError implements Metric {
  public static final String NAME = "per_class_error";
  private final PerClassErrorConfig config;

  public PerClassError(PerClassErrorConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MetricResult evaluate(EvaluationContext context) {
    if (context.model().isEmpty() || context.testSet().isEmpty()) {
      String part = context.model().isEmpty() ? "model" : "test_set";
      return missing(context.missing().getOrDefault(part, "the run has no " + part.replace('_', ' ')));
    }
    VqDataset data = context.testSet().get();
    if (data.numClasses() == 0) {
      return missing("the test split has no class labels");
    }
    if (data.itemShape().dimension() != 3) {
      return missing("per-class error is defined for image datasets; items are " + data.itemShape());
    }
    Autoencoder model = context.model().get();
    int classes = data.numClasses();
    PixelNormalization norm = data.normalization();
    double range = norm.high() - norm.low();
    long n = context.maxItems() > 0 ? Math.min(context.maxItems(), data.size()) : data.size();
    double[] sums;
    double[] counts;
    try (NDManager totals = context.manager().newSubManager()) {
      NDArray sum = totals.zeros(new Shape(classes), DataType.FLOAT64);
      NDArray count = totals.zeros(new Shape(classes), DataType.FLOAT64);
      for (long start = 0; start < n; start += context.batchSize()) {
        int size = (int) Math.min(context.batchSize(), n - start);
        long[] indices = new long[size];
        for (int i = 0; i < size; i++) {
          indices[i] = start + i;
        }
        try (NDManager scope = context.manager().newSubManager();
            LabeledBatch batch = data.batch(scope, indices)) {
          NDArray x = batch.images();
          NDArray reconstruction = model.compute(context.parameters(), x, false).reconstruction();
          NDArray x01 = x.sub(norm.low()).div(range);
          NDArray r01 = reconstruction.sub(norm.low()).div(range).clip(0, 1);
          NDArray perImage = x01.sub(r01).square().reshape(size, -1).mean(new int[] {1})
              .toType(DataType.FLOAT64, false);
          NDArray oneHot = batch.labels().oneHot(classes).toType(DataType.FLOAT64, false);
          sum.addi(oneHot.transpose().matMul(perImage.expandDims(1)).squeeze(1));
          count.addi(oneHot.sum(new int[] {0}));
        }
      }
      sums = sum.toDoubleArray();
      counts = count.toDoubleArray();
    }
    return result(sums, counts);
  }

  /** The reported values from the per-class sums of per-image MSE and the item counts. */
  MetricResult result(double[] sums, double[] counts) {
    Map<String, MetricValue> values = new LinkedHashMap<>();
    Map<String, String> missing = new LinkedHashMap<>();
    double total = 0;
    double items = 0;
    int worst = -1;
    int best = -1;
    double[] mse = new double[sums.length];
    for (int k = 0; k < sums.length; k++) {
      total += sums[k];
      items += counts[k];
      if (counts[k] < config.minItems()) {
        missing.put(NAME + "/mse/" + config.name(k), (long) counts[k] + " test items, fewer than"
            + " eval.per_class_error.min_items = " + config.minItems());
        continue;
      }
      mse[k] = sums[k] / counts[k];
      values.put(NAME + "/mse/" + config.name(k), new MetricValue(mse[k], "",
          "mean squared error per pixel value of the test images of class " + config.name(k)
              + " (" + (long) counts[k] + " items), images and reconstructions in [0, 1]"));
      if (worst < 0 || mse[k] > mse[worst]) {
        worst = k;
      }
      if (best < 0 || mse[k] < mse[best]) {
        best = k;
      }
    }
    if (worst < 0) {
      missing.put(NAME, "no class has eval.per_class_error.min_items = " + config.minItems() + " test items");
      return new MetricResult(values, List.of(), missing);
    }
    values.put(NAME + "/worst", new MetricValue(mse[worst], "",
        "the largest per-class MSE, of class " + config.name(worst)));
    values.put(NAME + "/best", new MetricValue(mse[best], "",
        "the smallest per-class MSE, of class " + config.name(best)));
    values.put(NAME + "/worst_over_best", new MetricValue(mse[worst] / mse[best], "",
        "worst / best per-class MSE: 1 when every class is reconstructed equally well"));
    values.put(NAME + "/mean", new MetricValue(total / items, "",
        "per-class MSE weighted by the classes' item counts: the MSE of all " + (long) items
            + " evaluated test images"));
    return new MetricResult(values, List.of(), missing);
  }

  private MetricResult missing(String reason) {
    return new MetricResult(Map.of(), List.of(), Map.of(NAME, reason));
  }
}
