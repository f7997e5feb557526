package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Code usage over a whole pass of a dataset: a histogram kept on the device (one scatter per
 * batch, no host transfer until {@link #summary()}), from which the perplexity over the pass, the
 * used and dead codes follow; restarts are those the quantizer made during the pass.
 *
 * <pre>
 *   try (CodebookUsage usage = CodebookUsage.start(quantizer, manager)) {
 *     for (batch : data) usage.add(quantizer.quantize(ps, z, false).indices());
 *     CodebookUsage.Summary s = usage.summary();
 *   }
 * </pre>
 */
public final class CodebookUsage implements AutoCloseable {
  private final Quantizer quantizer;
  private final int numCodes;
  private final long restartsAtStart;
  private final NDManager manager;
  private NDArray histogram;

  private CodebookUsage(Quantizer quantizer, NDManager parent) {
    this.quantizer = quantizer;
    this.numCodes = quantizer.numCodes();
    this.restartsAtStart = quantizer.restarts();
    this.manager = parent.newSubManager();
    this.histogram = manager.zeros(new Shape(numCodes), DataType.INT64);
  }

  /** Starts a pass; {@code manager} gives the device the histogram lives on. */
  public static CodebookUsage start(Quantizer quantizer, NDManager manager) {
    return new CodebookUsage(quantizer, manager);
  }

  /** Adds one batch of code indices (any shape). */
  public void add(NDArray indices) {
    try (NDArray counts = CodeHistogram.counts(indices, numCodes)) {
      NDArray onDevice = counts.toDevice(histogram.getDevice(), false);
      histogram.addi(onDevice);
      if (onDevice != counts) {
        onDevice.close();
      }
    }
  }

  /** Reads the histogram back once and derives the pass statistics. */
  public Summary summary() {
    long[] counts = histogram.toLongArray();
    long total = 0;
    int used = 0;
    for (long c : counts) {
      total += c;
      used += c > 0 ? 1 : 0;
    }
    double entropy = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / total;
        entropy -= p * Math.log(p);
      }
    }
    return new Summary(counts, total, total == 0 ? 0 : Math.exp(entropy), used, numCodes - used,
        quantizer.restarts() - restartsAtStart);
  }

  @Override
  public void close() {
    manager.close();
  }

  /**
   * @param histogram vectors assigned to each code during the pass
   * @param vectors total vectors quantised
   * @param perplexity exp of the entropy of the pass's code distribution (K when uniform)
   * @param codesUsed codes chosen at least once
   * @param deadCodes codes never chosen
   * @param restarts dead-code restarts the quantizer made during the pass
   */
  public record Summary(long[] histogram, long vectors, double perplexity, int codesUsed,
      int deadCodes, long restarts) {
    /** Fraction of the codebook used in the pass. */
    public double usedFraction() {
      return histogram.length == 0 ? 0 : (double) codesUsed / histogram.length;
    }
  }
}
