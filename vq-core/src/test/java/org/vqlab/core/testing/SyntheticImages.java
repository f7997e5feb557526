package org.vqlab.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.data.Split;
import org.vqlab.core.data.VqDataset;

/** Small random 8-bit images with labels, generated from a seed, for unit tests of training code. */
public final class SyntheticImages implements VqDataset {
  private final Split split;
  private final int count;
  private final Shape shape;
  private final byte[][] items;
  private final int[] labels;

  public SyntheticImages(Split split, int count, Shape shape, long seed) {
    this.split = split;
    this.count = count;
    this.shape = shape;
    Random r = new Random(seed);
    items = new byte[count][(int) shape.size()];
    labels = new int[count];
    for (int i = 0; i < count; i++) {
      r.nextBytes(items[i]);
      labels[i] = r.nextInt(10);
    }
  }

  @Override
  public Split split() {
    return split;
  }

  @Override
  public void prepare(Progress progress) {}

  @Override
  public long size() {
    return count;
  }

  @Override
  public Shape itemShape() {
    return shape;
  }

  @Override
  public int numClasses() {
    return 10;
  }

  @Override
  public PixelNormalization normalization() {
    return PixelNormalization.CENTERED;
  }

  @Override
  public LabeledBatch batch(NDManager manager, long[] indices) {
    ByteBuffer buf = ByteBuffer.allocateDirect(indices.length * (int) shape.size());
    long[] l = new long[indices.length];
    for (int i = 0; i < indices.length; i++) {
      buf.put(items[(int) indices[i]]);
      l[i] = labels[(int) indices[i]];
    }
    buf.rewind();
    NDArray raw = manager.create(buf, new Shape(indices.length).addAll(shape), DataType.UINT8);
    NDArray images = raw.toType(DataType.FLOAT32, false).div(255f).sub(0.5f);
    return new LabeledBatch(images, manager.create(l));
  }

  @Override
  public byte[] rawItem(long index) {
    return items[(int) index].clone();
  }

  @Override
  public int label(long index) {
    return labels[(int) index];
  }
}
