package org.vqlab.core.train;

import ai.djl.ndarray.NDManager;

/**
 * What the {@link Trainer} draws batches from: a dataset of images ({@code VqDataset}, batches of
 * {@code LabeledBatch}) or a store of codes ({@code CodeStore}, batches of {@code CodeBatch}).
 *
 * @param <B> the batch type; closing it frees its arrays
 */
public interface BatchSource<B extends Batch> {

  long size();

  /** The items at {@code indices} as one batch on the manager's device. */
  B batch(NDManager manager, long[] indices);
}
