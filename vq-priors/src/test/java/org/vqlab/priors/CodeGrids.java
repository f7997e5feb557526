package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.vqlab.core.data.DataLocations;
import org.vqlab.core.data.IdxDataset;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.Split;
import org.vqlab.core.testing.FashionMnistFiles;

/** Code grids with known structure, kept on the host: codes (n, h, w) flat, labels (n). */
record CodeGrids(long[] codes, long[] labels, int count, int height, int width) {

  /** Items [from, to) as device arrays (codes (B, h, w), labels (B)). */
  NDArray codes(NDManager manager, int[] items) {
    long[] out = new long[items.length * height * width];
    for (int i = 0; i < items.length; i++) {
      System.arraycopy(codes, items[i] * height * width, out, i * height * width, height * width);
    }
    return manager.create(out, new Shape(items.length, height, width));
  }

  NDArray labels(NDManager manager, int[] items) {
    long[] out = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = labels[items[i]];
    }
    return manager.create(out);
  }

  /** Bits per code of the unigram model fitted on {@code train} (add-one smoothed), on this set. */
  double unigramBits(CodeGrids train, int k) {
    double[] p = new double[k];
    for (long c : train.codes) {
      p[(int) c]++;
    }
    for (int i = 0; i < k; i++) {
      p[i] = (p[i] + 1) / (train.codes.length + k);
    }
    double bits = 0;
    for (long c : codes) {
      bits -= Math.log(p[(int) c]) / Math.log(2);
    }
    return bits / codes.length;
  }

  /**
   * Real Fashion-MNIST images [from, from + n) of the training file as 7 x 7 codes: the mean of each
   * 4 x 4 patch (pixels in [0, 1]) in 16 equal bins, a fixed quantisation with real image structure.
   */
  static CodeGrids fashionMnist(NDManager manager, int from, int n) throws IOException {
    IdxDataset data = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TRAIN)
        .optLocations(new DataLocations(FashionMnistFiles.require(), null, List.of(),
            Path.of("/nonexistent"))).build();
    data.prepare(null);
    long[] idx = new long[n];
    for (int i = 0; i < n; i++) {
      idx[i] = from + i;
    }
    try (NDManager scope = manager.newSubManager(); LabeledBatch batch = data.batch(scope, idx)) {
      // Pixels come in [-0.5, 0.5]; patch means to bins 0..15.
      NDArray means = batch.images().reshape(n, 7, 4, 7, 4).mean(new int[] {4}).mean(new int[] {2}).add(0.5f);
      NDArray bins = means.mul(16f).floor().clip(0, 15).toType(ai.djl.ndarray.types.DataType.INT64, false);
      long[] labels = batch.labels().toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
      return new CodeGrids(bins.toLongArray(), labels, n, 7, 7);
    }
  }

  /**
   * Grids where the class determines the codes: class y has a fixed random pattern, each code of
   * which is replaced by a uniformly random one with probability {@code noise}.
   */
  static CodeGrids classPatterns(long seed, int n, int classes, int k, int side, double noise) {
    Random random = new Random(seed);
    long[][] patterns = new long[classes][side * side];
    for (long[] p : patterns) {
      for (int i = 0; i < p.length; i++) {
        p[i] = random.nextInt(k);
      }
    }
    long[] codes = new long[n * side * side];
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      int y = random.nextInt(classes);
      labels[i] = y;
      for (int j = 0; j < side * side; j++) {
        codes[i * side * side + j] = random.nextDouble() < noise ? random.nextInt(k) : patterns[y][j];
      }
    }
    return new CodeGrids(codes, labels, n, side, side);
  }
}
