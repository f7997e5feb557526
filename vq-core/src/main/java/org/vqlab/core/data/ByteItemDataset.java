package org.vqlab.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The common part of every VQLab dataset: 8-bit items from an {@link ItemSource}, an optional
 * seeded subset, optional horizontal flips of training items, and batching that gathers the bytes
 * of a batch into one buffer, makes ONE uint8 NDArray of it on the manager's device and
 * normalises it there. Subclasses only say how {@link #load(Progress)} finds and decodes the data.
 */
public abstract class ByteItemDataset extends RandomAccessDataset implements VqDataset {
  private final String name;
  private final Split split;
  private final PixelNormalization normalization;
  private final int subset;
  private final long shuffleSeed;
  private final boolean flip;
  private volatile long epoch;
  private volatile ItemSource source;
  /** Subset positions into the source, sorted; null for the whole source. */
  private long[] indexMap;

  protected ByteItemDataset(Builder<?> builder) {
    super(builder);
    this.name = builder.name;
    this.split = builder.split;
    this.normalization = builder.normalization;
    this.subset = builder.subset;
    this.shuffleSeed = builder.shuffleSeed;
    this.flip = builder.flip;
  }

  /** Finds, downloads if needed, and decodes the data of this split. Called once. */
  protected abstract ItemSource load(Progress progress) throws IOException;

  @Override
  public final synchronized void prepare(Progress progress) throws IOException {
    if (source != null) {
      return;
    }
    ItemSource loaded = load(progress);
    if (subset > 0 && subset < loaded.size()) {
      indexMap = chooseSubset(loaded.size(), subset, shuffleSeed);
    }
    source = loaded;
  }

  /** A seeded choice of {@code k} of {@code n} positions, sorted so the data keeps its order. */
  static long[] chooseSubset(long n, int k, long seed) {
    int[] perm = BatchSampler.permutation((int) n, new SplittableRandom(SplitMix64.mix(seed, 0x5b5e7L)));
    long[] chosen = new long[k];
    for (int i = 0; i < k; i++) {
      chosen[i] = perm[i];
    }
    Arrays.sort(chosen);
    return chosen;
  }

  private ItemSource source() {
    ItemSource s = source;
    if (s == null) {
      throw new IllegalStateException("dataset '" + name + "' (" + split.name().toLowerCase()
          + ") is not prepared: call prepare(progress) first");
    }
    return s;
  }

  private long sourceIndex(long index) {
    long size = availableSize();
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " outside dataset '" + name
          + "' of " + size + " items");
    }
    return indexMap == null ? index : indexMap[(int) index];
  }

  /** The plugin name, e.g. {@code fashion_mnist}. */
  public String name() {
    return name;
  }

  @Override
  public Split split() {
    return split;
  }

  @Override
  public PixelNormalization normalization() {
    return normalization;
  }

  @Override
  public Shape itemShape() {
    return source().itemShape();
  }

  @Override
  public int numClasses() {
    return source().numClasses();
  }

  @Override
  public long shuffleSeed() {
    return shuffleSeed;
  }

  /** Whether training items are flipped (for natural images only). */
  public boolean flips() {
    return flip && split == Split.TRAIN;
  }

  @Override
  public void setEpoch(long epoch) {
    this.epoch = epoch;
  }

  @Override
  protected long availableSize() {
    ItemSource s = source();
    return indexMap == null ? s.size() : indexMap.length;
  }

  @Override
  public byte[] rawItem(long index) {
    ItemSource s = source();
    byte[] out = new byte[(int) s.itemShape().size()];
    s.copyItem(sourceIndex(index), out, 0);
    return out;
  }

  @Override
  public int label(long index) {
    return source().label(sourceIndex(index));
  }

  /** Whether item {@code index} is flipped in the current epoch: a pure function of the seeds. */
  public boolean isFlipped(long index) {
    return flips() && (SplitMix64.mix(shuffleSeed, 0xf11bL, epoch, index) & 1L) == 1L;
  }

  @Override
  public LabeledBatch batch(NDManager manager, long[] indices) {
    ItemSource s = source();
    Shape item = s.itemShape();
    int itemBytes = (int) item.size();
    byte[] gathered = new byte[Math.multiplyExact(indices.length, itemBytes)];
    long[] labels = s.numClasses() > 0 ? new long[indices.length] : null;
    for (int b = 0; b < indices.length; b++) {
      long src = sourceIndex(indices[b]);
      s.copyItem(src, gathered, b * itemBytes);
      if (isFlipped(indices[b])) {
        flipRows(gathered, b * itemBytes, itemBytes, (int) item.get(item.dimension() - 1));
      }
      if (labels != null) {
        labels[b] = s.label(src);
      }
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(gathered.length).order(ByteOrder.nativeOrder());
    buffer.put(gathered).rewind();
    long[] dims = new long[item.dimension() + 1];
    dims[0] = indices.length;
    System.arraycopy(item.getShape(), 0, dims, 1, item.dimension());
    NDArray images;
    try (NDArray bytes = manager.create(buffer, new Shape(dims), DataType.UINT8)) {
      images = normalize(bytes);
    } finally {
      Reference.reachabilityFence(buffer);
    }
    NDArray labelArray = labels == null ? null : manager.create(labels);
    return new LabeledBatch(images, labelArray);
  }

  /** uint8 -> float32 in [low, high], on the array's device. */
  NDArray normalize(NDArray bytes) {
    double scale = normalization.binWidth();
    return bytes.toType(DataType.FLOAT32, false).muli((float) scale).addi((float) normalization.low());
  }

  /** Reverses every row of width {@code width} in one item (all channels and frames alike). */
  static void flipRows(byte[] data, int offset, int length, int width) {
    for (int row = offset; row < offset + length; row += width) {
      for (int i = row, j = row + width - 1; i < j; i++, j--) {
        byte t = data[i];
        data[i] = data[j];
        data[j] = t;
      }
    }
  }

  @Override
  public Record get(NDManager manager, long index) {
    LabeledBatch one = batch(manager, new long[] {index});
    NDArray image = one.images().squeeze(0);
    one.images().close();
    NDList labels = new NDList();
    if (one.labels() != null) {
      labels.add(one.labels().squeeze(0));
      one.labels().close();
    }
    return new Record(new NDList(image), labels);
  }

  /** Options every dataset shares; subclasses add their own. */
  public abstract static class Builder<T extends Builder<T>> extends BaseBuilder<T> {
    String name;
    Split split = Split.TRAIN;
    PixelNormalization normalization = PixelNormalization.CENTERED;
    int subset;
    long shuffleSeed;
    boolean flip;

    protected Builder(String name) {
      this.name = name;
      // DJL's getData needs a sampler; VQLab's training batches with BatchSampler instead.
      setSampling(1, false);
    }

    public T optName(String name) {
      this.name = name;
      return self();
    }

    public T optSplit(Split split) {
      this.split = split;
      return self();
    }

    public T optNormalization(PixelNormalization normalization) {
      this.normalization = normalization;
      return self();
    }

    /** Keep a seeded choice of this many items; 0 keeps all. */
    public T optSubset(int subset) {
      this.subset = subset;
      return self();
    }

    public T optShuffleSeed(long seed) {
      this.shuffleSeed = seed;
      return self();
    }

    public T optFlip(boolean flip) {
      this.flip = flip;
      return self();
    }
  }
}
