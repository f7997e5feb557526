package org.vqlab.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;

/**
 * Streams the evaluated part of the test split (the first {@code maxItems} items, or all) in
 * batches of {@code batchSize}, each in its own sub-manager that is closed after the batch. Video
 * clips (B, C, T, H, W) are folded into frames (B T, C, H, W), labels repeated per frame, so that
 * image models and per-frame metrics see ordinary image batches.
 */
public final class TestBatches {
  private TestBatches() {}

  /** What a metric does with one batch; arrays live in {@code scope}. */
  @FunctionalInterface
  public interface Body {
    void accept(NDManager scope, NDArray images, NDArray labels) throws IOException;
  }

  /** Test items evaluated. */
  public static long items(EvaluationContext context, VqDataset data) {
    return context.maxItems() > 0 ? Math.min(context.maxItems(), data.size()) : data.size();
  }

  /** Frames per item: 1 for images, T for clips (C, T, H, W). */
  public static int frames(VqDataset data) {
    Shape s = data.itemShape();
    return s.dimension() == 4 ? Math.toIntExact(s.get(1)) : 1;
  }

  /** The dimension of one image or frame, C x H x W, that bits/dim divides by. */
  public static long dimension(VqDataset data) {
    Shape s = data.itemShape();
    return s.dimension() == 4 ? s.get(0) * s.get(2) * s.get(3) : s.size();
  }

  public static void forEach(EvaluationContext context, VqDataset data, Body body)
      throws IOException {
    long n = items(context, data);
    for (long start = 0; start < n; start += context.batchSize()) {
      int size = (int) Math.min(context.batchSize(), n - start);
      long[] indices = new long[size];
      for (int i = 0; i < size; i++) {
        indices[i] = start + i;
      }
      try (NDManager scope = context.manager().newSubManager();
          LabeledBatch batch = data.batch(scope, indices)) {
        NDArray images = batch.images();
        NDArray labels = batch.labels();
        if (images.getShape().dimension() == 5) {
          Shape s = images.getShape();
          images = images.transpose(0, 2, 1, 3, 4).reshape(s.get(0) * s.get(2), s.get(1), s.get(3),
              s.get(4));
          labels = labels == null ? null
              : labels.expandDims(1).broadcast(new Shape(s.get(0), s.get(2))).reshape(-1);
        }
        body.accept(scope, images, labels);
      }
    }
  }
}
