package org.vqlab.core.data;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.train.Batch;

/** A batch of images (B, C, H, W) or clips (B, C, T, H, W) and their labels (B), labels may be null. */
public record LabeledBatch(NDArray images, NDArray labels) implements Batch {
  @Override
  public void close() {
    images.close();
    if (labels != null) {
      labels.close();
    }
  }
}
