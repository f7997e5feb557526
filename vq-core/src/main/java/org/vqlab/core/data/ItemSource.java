package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;

/** Where a dataset's 8-bit items come from once it is prepared: memory, or a generator. */
interface ItemSource {
  long size();

  /** (C, H, W) or (C, T, H, W). */
  Shape itemShape();

  int numClasses();

  /** Copies item {@code index} into {@code dst} at {@code offset} in (C, [T,] H, W) order. */
  void copyItem(long index, byte[] dst, int offset);

  /** -1 without labels. */
  int label(long index);
}
