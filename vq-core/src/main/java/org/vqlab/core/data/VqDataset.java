package org.vqlab.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.IOException;
import org.vqlab.core.train.BatchSource;

/**
 * A dataset of 8-bit images (C, H, W) or video clips (C, T, H, W), with class labels where they
 * exist. Implementations are DJL {@code RandomAccessDataset}s; this interface is what training,
 * encoding and evaluation use. The 8-bit values stay recoverable exactly through
 * {@link #normalization()}, because bits/dim is computed on the discrete data.
 */
public interface VqDataset extends BatchSource<LabeledBatch> {

  Split split();

  /** Loads or downloads what is needed; idempotent. */
  void prepare(Progress progress) throws IOException;

  @Override
  long size();

  /** (C, H, W) for images, (C, T, H, W) for clips. */
  Shape itemShape();

  /** Number of classes, 0 when the data has no labels. */
  int numClasses();

  PixelNormalization normalization();

  /**
   * The items at {@code indices} as one batch on the manager's device: float32 images normalised
   * as configured, shaped (B, itemShape...), and int64 labels (B), or null without labels.
   */
  @Override
  LabeledBatch batch(NDManager manager, long[] indices);

  /** The original bytes of one item, in (C, H, W) or (C, T, H, W) order. */
  byte[] rawItem(long index);

  /** The label of one item, -1 without labels. */
  int label(long index);

  /** The seed of the dataset's random choices (subset, epoch shuffling with BatchSampler). */
  default long shuffleSeed() {
    return 0;
  }

  /**
   * Tells the dataset which epoch its batches belong to, so random augmentation (flips) is a
   * function of (seed, epoch, index) and a resumed run sees the same items.
   */
  default void setEpoch(long epoch) {}
}
