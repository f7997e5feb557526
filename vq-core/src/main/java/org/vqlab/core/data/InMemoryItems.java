package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;

/** Decoded items stored back to back in one byte array, with optional labels. */
record InMemoryItems(byte[] data, int[] labels, Shape itemShape, int numClasses, long size)
    implements ItemSource {

  InMemoryItems {
    long itemBytes = itemShape.size();
    if (data.length != size * itemBytes) {
      throw new IllegalArgumentException(data.length + " bytes cannot hold " + size + " items of "
          + itemShape);
    }
    if (labels != null && labels.length != size) {
      throw new IllegalArgumentException(labels.length + " labels for " + size + " items");
    }
  }

  @Override
  public void copyItem(long index, byte[] dst, int offset) {
    int itemBytes = (int) itemShape.size();
    System.arraycopy(data, Math.toIntExact(index * itemBytes), dst, offset, itemBytes);
  }

  @Override
  public int label(long index) {
    return labels == null ? -1 : labels[(int) index];
  }
}
