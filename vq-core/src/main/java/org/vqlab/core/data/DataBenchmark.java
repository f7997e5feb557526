package org.vqlab.core.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * How fast batches come out of the data pipeline: Fashion-MNIST train at batch 128, each batch
 * gathered from the in-memory uint8 data, created as one NDArray on {@code device} and normalised
 * there. Wired into {@code vq bench data}; loading must never be what limits training speed.
 */
public final class DataBenchmark {
  public static final int BATCH_SIZE = 128;
  private static final int WARMUP = 20;

  private DataBenchmark() {}

  public static void run(Device device, PrintStream out, int batches) {
    IdxDataset dataset = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TRAIN).build();
    long t0 = System.nanoTime();
    try {
      dataset.prepare(new ProgressBar());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double prepareSeconds = (System.nanoTime() - t0) / 1e9;
    BatchSampler sampler = new BatchSampler(dataset.size(), BATCH_SIZE, 0, true);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      for (int s = 0; s < WARMUP; s++) {
        step(dataset, manager, sampler, s, false);
      }
      long start = System.nanoTime();
      double checksum = 0;
      for (int s = 0; s < batches; s++) {
        // The last batch is read back so asynchronous devices have finished all the work.
        checksum += step(dataset, manager, sampler, WARMUP + s, s == batches - 1);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "data: fashion_mnist train, %d items read from %s in %.2f s%n",
          dataset.size(), dataset.imagesFile(), prepareSeconds);
      out.printf(Locale.ROOT, "data: batch %d on %s: %d batches in %.3f s = %.1f batches/s "
              + "(%.0f images/s; last batch mean %.4f)%n", BATCH_SIZE, device, batches, seconds,
          batches / seconds, batches * (double) BATCH_SIZE / seconds, checksum);
      // PyTorch's intra-op pool spins on a loaded machine; the thread setting explains outliers.
      out.printf(Locale.ROOT, "data: %d cores, ai.djl.pytorch.num_threads=%s, OMP_NUM_THREADS=%s%n",
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("ai.djl.pytorch.num_threads", "(default)"),
          System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
    }
  }

  private static double step(IdxDataset dataset, NDManager manager, BatchSampler sampler, long step,
      boolean readBack) {
    try (NDManager scope = manager.newSubManager()) {
      LabeledBatch batch = dataset.batch(scope, sampler.batchAtStep(step));
      return readBack ? batch.images().mean().getFloat() : 0;
    }
  }

  /** {@code java ... org.vqlab.core.data.DataBenchmark [batches]} on the default device. */
  public static void main(String[] args) {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    run(ai.djl.engine.Engine.getInstance().defaultDevice(), System.out, batches);
  }
}
