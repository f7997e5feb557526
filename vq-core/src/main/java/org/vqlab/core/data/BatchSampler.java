package org.vqlab.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded epoch shuffling: epoch e visits the items in a permutation that depends only on (seed, e),
 * cut into batches. Training reproduces exactly given the seed, and a resumed run continues
 * mid-epoch from its global step number with {@link #batchAtStep(long)}.
 */
public final class BatchSampler {
  private final int size;
  private final int batchSize;
  private final long seed;
  private final boolean dropLast;
  private final boolean shuffle;
  private long cachedEpoch = -1;
  private int[] cachedPermutation;

  public BatchSampler(long size, int batchSize, long seed, boolean dropLast) {
    this(size, batchSize, seed, dropLast, true);
  }

  /** With {@code shuffle} false every epoch visits 0..size-1 in order (evaluation). */
  public BatchSampler(long size, int batchSize, long seed, boolean dropLast, boolean shuffle) {
    if (size <= 0 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("dataset size must be in 1.." + Integer.MAX_VALUE + ", got " + size);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    if (dropLast && batchSize > size) {
      throw new IllegalArgumentException("batch size " + batchSize + " exceeds the dataset size "
          + size + ": with drop_last no batch would remain");
    }
    this.size = (int) size;
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropLast = dropLast;
    this.shuffle = shuffle;
  }

  /** Shuffled batches over {@code dataset} with its shuffle seed. */
  public static BatchSampler of(VqDataset dataset, int batchSize, boolean dropLast) {
    return new BatchSampler(dataset.size(), batchSize, dataset.shuffleSeed(), dropLast);
  }

  /**
   * The training order of a run: shuffled by the dataset's shuffle seed mixed with the run's seed,
   * so that {@code seed=1,2,3} varies the batch order while the data itself (subset, splits) stays
   * the dataset's; the last partial batch of each epoch is dropped.
   */
  public static BatchSampler forTraining(VqDataset dataset, int batchSize, long runSeed) {
    return new BatchSampler(dataset.size(), batchSize, SplitMix64.mix(dataset.shuffleSeed(), runSeed), true);
  }

  public long size() {
    return size;
  }

  public int batchSize() {
    return batchSize;
  }

  public long batchesPerEpoch() {
    return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
  }

  /** The item order of epoch {@code epoch}. */
  public synchronized int[] order(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    if (epoch != cachedEpoch) {
      cachedPermutation = shuffle
          ? permutation(size, new SplittableRandom(SplitMix64.mix(seed, epoch)))
          : identity(size);
      cachedEpoch = epoch;
    }
    return cachedPermutation;
  }

  /** The indices of batch {@code batch} (0-based) of epoch {@code epoch}. */
  public long[] batch(long epoch, long batch) {
    if (batch < 0 || batch >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException("batch " + batch + " outside 0.." + (batchesPerEpoch() - 1));
    }
    int[] order = order(epoch);
    int from = (int) (batch * batchSize);
    int to = Math.min(size, from + batchSize);
    long[] out = new long[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = order[i];
    }
    return out;
  }

  /** The epoch that global step {@code step} (0-based, counted over all epochs) falls in. */
  public long epochOfStep(long step) {
    return step / batchesPerEpoch();
  }

  /** The batch of global step {@code step}: resume continues from here. */
  public long[] batchAtStep(long step) {
    long perEpoch = batchesPerEpoch();
    return batch(step / perEpoch, step % perEpoch);
  }

  /** All batches of one epoch. */
  public List<long[]> epoch(long epoch) {
    List<long[]> out = new ArrayList<>();
    for (long b = 0; b < batchesPerEpoch(); b++) {
      out.add(batch(epoch, b));
    }
    return out;
  }

  /** Fisher-Yates shuffle of 0..n-1. */
  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }
}
